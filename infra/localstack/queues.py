#!/usr/bin/env python3
"""Reads infra/queues.json and prints, per queue, one tab-separated line for the shell hooks:
name, attributes (JSON), DLQ name, DLQ attributes (JSON), maxReceiveCount. DLQ fields are empty
when the queue has none. Defaults match packages/sqs-transport's parseQueueDefinitions."""
import json
import sys

RETENTION_DEFAULT = 1209600

with open(sys.argv[1], encoding="utf-8") as handle:
    definitions = json.load(handle)

for queue in definitions["queues"]:
    name = queue["name"]
    fifo = name.endswith(".fifo")
    retention = str(queue.get("messageRetentionSeconds", RETENTION_DEFAULT))
    attributes = {"VisibilityTimeout": str(queue.get("visibilityTimeoutSeconds", 30)), "MessageRetentionPeriod": retention}
    if "contentBasedDeduplication" in queue:
        attributes["ContentBasedDeduplication"] = "true" if queue["contentBasedDeduplication"] else "false"
    if fifo:
        attributes["FifoQueue"] = "true"
    dead_letter = queue.get("deadLetter")
    dlq_name, dlq_attributes, max_receive = "", "", ""
    if dead_letter:
        dlq_name = dead_letter["name"]
        dlq = {"MessageRetentionPeriod": retention}
        if fifo:
            dlq["FifoQueue"] = "true"
        dlq_attributes = json.dumps(dlq, sort_keys=True)
        max_receive = str(dead_letter.get("maxReceiveCount", 5))
    print("\t".join([name, json.dumps(attributes, sort_keys=True), dlq_name, dlq_attributes, max_receive]))
