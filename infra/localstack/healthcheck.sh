#!/usr/bin/env bash
# LocalStack health check: SQS is up AND every queue of infra/queues.json exists. (LocalStack's own
# /_localstack/init/ready reports completion even when an init script failed.)
set -euo pipefail
queues_file="${QUEUES_FILE:-/etc/localstack/sqsref/queues.json}"
helper="${QUEUES_HELPER:-/etc/localstack/sqsref/queues.py}"
python3 "$helper" "$queues_file" | while IFS=$'\t' read -r name _ dlq_name _ _; do
  awslocal sqs get-queue-url --queue-name "$name" </dev/null >/dev/null
  [[ -z "$dlq_name" ]] || awslocal sqs get-queue-url --queue-name "$dlq_name" </dev/null >/dev/null
done
