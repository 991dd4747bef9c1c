#!/usr/bin/env bash
# compose.yaml's kafka-init (apache/kafka image), once the broker is healthy and before the services start:
# creates the topics (token-carrying ones with a short retention), a SCRAM-SHA-512 credential per principal and
# the ACLs listed in CIVIC_KAFKA_ACLS ("<principal> <operation> <topic|group> <name> [literal|prefixed]" per line:
# the resource pattern type, LITERAL unless the line says prefixed, for example survey-intake's read of every
# agency's topic "cx.feedback.submitted.v1." prefixed), over the
# broker's mutual-TLS listener as the super user CN=kafka-admin. Safe to run again: every step is idempotent.
set -euo pipefail
bin="${KAFKA_BIN:-/opt/kafka/bin}"
admin=(--bootstrap-server "$CIVIC_KAFKA_ADMIN_BOOTSTRAP" --command-config /etc/kafka/civic/admin.properties)

for topic in $CIVIC_KAFKA_TOPICS; do
    config=()
    case " $CIVIC_KAFKA_TOKEN_TOPICS " in
    *" $topic "*) config=(--config "retention.ms=$((CIVIC_KAFKA_TOKEN_RETENTION_H * 3600000))") ;;
    esac
    "$bin/kafka-topics.sh" "${admin[@]}" --create --if-not-exists --topic "$topic" \
        --partitions "$CIVIC_KAFKA_PARTITIONS" --replication-factor 1 "${config[@]}"
done

for user in $CIVIC_KAFKA_USERS; do
    variable="CIVIC_KAFKA_PASSWORD_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')"
    password="${!variable:?$variable is not set}"
    "$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type users --entity-name "$user" \
        --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
    echo "kafka-init: SCRAM-SHA-512 credential for $user"
done

while read -r principal operation type name pattern rest; do
    [ -n "${principal:-}" ] || continue
    pattern="${pattern:-literal}"
    case "$pattern" in literal | prefixed) ;; *) rest="$pattern $rest" ;; esac
    [ -z "${rest// /}" ] || { echo "kafka-init: bad ACL line: $principal $operation $type $name $rest" >&2; exit 1; }
    "$bin/kafka-acls.sh" "${admin[@]}" --add --allow-principal "$principal" --operation "$operation" "--$type" "$name" \
        --resource-pattern-type "$pattern" >/dev/null
    echo "kafka-init: allow $principal $operation on $type $name ($pattern)"
done <<<"$CIVIC_KAFKA_ACLS"
