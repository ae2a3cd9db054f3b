#!/usr/bin/env python3
"""A Takhin HTTP consumer using only the Python standard library.

Subscribes to topics in a consumer group, long-polls for records, "processes" each one (prints it
as a JSON line), commits offset+1 per partition after processing, and closes when it has seen
--max-records records or --idle-polls empty polls in a row.

Usage: consumer.py --url http://127.0.0.1:8080 --group my-group --topics orders [--max-records N]
"""
import argparse
import base64
import json
import sys
import urllib.error
import urllib.request


class TakhinConsumer:
    def __init__(self, base_url, group_id, topics, auto_offset_reset="earliest", session_timeout_ms=30000):
        self.base_url = base_url.rstrip("/")
        body = {"group_id": group_id, "topics": topics,
                "auto_offset_reset": auto_offset_reset, "session_timeout_ms": session_timeout_ms}
        self.consumer_id = self._call("POST", "/api/consumers/subscribe", body)["consumer_id"]

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=330) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read().decode("utf-8"))
            raise RuntimeError(f"{method} {path}: {error.code} {detail['code']}: {detail['error']}") from None

    def poll(self, max_records=500, timeout_ms=5000):
        path = f"/api/consumers/{self.consumer_id}/consume"
        return self._call("POST", path, {"max_records": max_records, "timeout_ms": timeout_ms})["records"]

    def commit(self, offsets):
        """offsets: {topic: {partition: next_offset_to_read}}."""
        body = {"offsets": {t: {str(p): o for p, o in parts.items()} for t, parts in offsets.items()}}
        self._call("POST", f"/api/consumers/{self.consumer_id}/commit", body)

    def close(self):
        self._call("DELETE", f"/api/consumers/{self.consumer_id}")


def decode(field):
    return None if field is None else base64.b64decode(field).decode("utf-8", errors="replace")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--group", required=True)
    parser.add_argument("--topics", required=True, help="comma-separated")
    parser.add_argument("--max-records", type=int, default=1_000_000)
    parser.add_argument("--idle-polls", type=int, default=3)
    args = parser.parse_args()

    consumer = TakhinConsumer(args.url, args.group, args.topics.split(","))
    seen, idle = 0, 0
    try:
        while seen < args.max_records and idle < args.idle_polls:
            records = consumer.poll(max_records=min(500, args.max_records - seen), timeout_ms=2000)
            if not records:
                idle += 1
                continue
            idle = 0
            offsets = {}
            for record in records:
                print(json.dumps({"topic": record["topic"], "partition": record["partition"],
                                  "offset": record["offset"], "key": decode(record["key"]),
                                  "value": decode(record["value"])}), flush=True)
                offsets.setdefault(record["topic"], {})[record["partition"]] = record["offset"] + 1
            consumer.commit(offsets)
            seen += len(records)
    finally:
        consumer.close()
    print(f"consumed {seen} records", file=sys.stderr)


if __name__ == "__main__":
    main()
