import CivicPostgres
import ServiceLifecycle

/// Owns a `PostgresClient` for a service group: on graceful shutdown (or cancellation) it closes the pool
/// and waits until its connections are closed. List it before the services that use the database, so it
/// stops after them.
package struct PostgresClientService: Service {
    /// The pool.
    package let client: PostgresClient

    /// Wraps a pool.
    package init(client: PostgresClient) { self.client = client }

    package func run() async {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
