/// A stored access row that is not what the schema promises.
package struct AccessStoreError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
