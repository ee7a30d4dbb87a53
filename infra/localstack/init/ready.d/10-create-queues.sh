#!/usr/bin/env bash
# LocalStack init hook (ready.d): creates every queue, DLQ and redrive policy of infra/queues.json,
# DLQs first. CreateQueue with unchanged attributes is a no-op, so running it again changes nothing.
# Mounted by docker-compose.yml; QUEUES_FILE and QUEUES_HELPER point at the mounted files.
set -euo pipefail

queues_file="${QUEUES_FILE:-/etc/localstack/sqsref/queues.json}"
helper="${QUEUES_HELPER:-/etc/localstack/sqsref/queues.py}"

create_queue() { # name attributes-json -> queue URL
  awslocal sqs create-queue --queue-name "$1" --attributes "$2" --output text --query QueueUrl </dev/null
}

queue_arn() { # url -> ARN
  awslocal sqs get-queue-attributes --queue-url "$1" --attribute-names QueueArn --output text --query Attributes.QueueArn </dev/null
}

python3 "$helper" "$queues_file" | while IFS=$'\t' read -r name attributes dlq_name dlq_attributes max_receive; do
  if [[ -n "$dlq_name" ]]; then
    dlq_url="$(create_queue "$dlq_name" "$dlq_attributes")"
    dlq_arn="$(queue_arn "$dlq_url")"
    attributes="$(python3 -c 'import json, sys
attributes = json.loads(sys.argv[1])
attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": sys.argv[2], "maxReceiveCount": int(sys.argv[3])}, separators=(",", ":"))
print(json.dumps(attributes, sort_keys=True))' "$attributes" "$dlq_arn" "$max_receive")"
    echo "sqsref: $dlq_name ready"
  fi
  create_queue "$name" "$attributes" >/dev/null
  echo "sqsref: $name ready"
done
