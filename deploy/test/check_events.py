"""Reads what the container check needs from Kafka records (kcat -J lines on stdin) and checkpoint objects.

Usage (deploy/test/container-check.sh calls it; standard library only):
  kcat ... -J | check_events.py finished RUN          exit 0 once RUN has a FINISHED lifecycle event
  kcat ... -J | check_events.py step RUN              the highest step of RUN's metric events (0 if none)
  kcat ... -J | check_events.py starts RUN            the step each life of RUN began at, until it finished
  kcat ... -J | check_events.py final-checkpoint RUN  the object key of RUN's highest-step checkpoint event
  kcat ... -J | check_events.py evaluations RUN       evaluations, duplicates and promotions of RUN's checkpoints
  kcat ... -J | check_events.py checkpoints RUN       how many checkpoint events RUN has
  kcat ... -J | check_events.py epochs                references and markers per (dataset, epoch), whole if as many references as its marker's steps, then gaps=N
  check_events.py digest CHECKPOINT_FILE              sha256 of its parameters and optimizer state, and its facts
"""
import collections
import hashlib
import io
import json
import sys
import zipfile


def records():
    """The payloads (parsed JSON) of kcat -J lines, with the CloudEvent type from the ce_type header."""
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("{"):
            continue
        envelope = json.loads(line)
        headers = envelope.get("headers") or []
        pairs = dict(zip(headers[0::2], headers[1::2])) if isinstance(headers, list) else dict(headers)
        try:
            payload = json.loads(envelope.get("payload") or "null")
        except ValueError:
            continue
        if isinstance(payload, dict):
            payload["_type"] = pairs.get("ce_type", "")
            yield payload


def of_run(run):
    return [r for r in records() if r.get("runId") == run]


def finished(run):
    return 0 if any(r.get("phase") == "FINISHED" for r in of_run(run)) else 1


def step(run):
    steps = [m.get("step", 0) for r in of_run(run) for m in r.get("metrics", [])]
    print(max(steps, default=0))


def starts(run):
    """The step of each STARTED event up to the run's first FINISHED (lives after it only find the run done)."""
    steps = []
    for r in of_run(run):
        if r.get("phase") == "FINISHED":
            break
        if r.get("phase") == "STARTED":
            steps.append(str(r.get("steps")))
    print(" ".join(steps))


def final_checkpoint(run):
    events = [r for r in of_run(run) if "checkpointUri" in r]
    if not events:
        return 1
    uri = max(events, key=lambda r: r["step"])["checkpointUri"]
    print(uri.split("://", 1)[-1].split("/", 1)[-1])  # s3://bucket/key -> key
    return 0


def checkpoints(run):
    print(len([r for r in of_run(run) if "checkpointUri" in r]))


def evaluations(run):
    rows = of_run(run)
    scored = collections.Counter(r["checkpointUri"] for r in rows if r["_type"].endswith("evaluation-completed.v1"))
    failed = [r for r in rows if r["_type"].endswith("evaluation-failed.v1")]
    promoted = collections.Counter(r["checkpointUri"] for r in rows if r["_type"].endswith("model-promoted.v1"))
    print(f"scored={len(scored)} evaluations={sum(scored.values())} "
          f"duplicates={sum(n - 1 for n in scored.values())} failed={len(failed)} "
          f"promotions={sum(promoted.values())} duplicate_promotions={sum(n - 1 for n in promoted.values())}")


def epochs():
    refs = collections.Counter()
    markers = collections.Counter()
    steps = {}
    for r in records():
        if r["_type"].endswith("batch-reference.v1"):
            refs[(r["datasetId"], r["epoch"])] += 1
        elif r["_type"].endswith("epoch-completed.v1"):
            markers[(r["datasetId"], r["epoch"])] += 1
            steps[(r["datasetId"], r["epoch"])] = r["steps"]
    keys = sorted(set(refs) | set(markers))
    for key in keys:
        whole = "yes" if steps.get(key) == refs[key] else "no"
        print(f"dataset={key[0]} epoch={key[1]} refs={refs[key]} markers={markers[key]} whole={whole}")
    by_dataset = collections.defaultdict(set)
    for dataset, epoch in keys:
        by_dataset[dataset].add(epoch)
    gaps = sum(max(e) + 1 - len(e) for e in by_dataset.values())
    print(f"gaps={gaps}")


def digest(path):
    with zipfile.ZipFile(path) as outer:
        facts = json.loads(outer.read("checkpoint.json"))
        with zipfile.ZipFile(io.BytesIO(outer.read("engine-state.zip"))) as state:
            parameters = hashlib.sha256(state.read("parameters.bin")).hexdigest()
            names = state.namelist()
            optimizer = hashlib.sha256(state.read("optimizer.bin")).hexdigest() if "optimizer.bin" in names else "-"
    offsets = ",".join(f"{p}:{o}" for p, o in sorted(facts["nextOffsets"].items(), key=lambda i: int(i[0])))
    print(f"parameters={parameters} optimizer={optimizer} step={facts['step']} epoch={facts['epoch']} "
          f"batches={facts['batchesConsumed']} offsets={offsets}")


def main(argv):
    command = argv[1]
    if command == "digest":
        return digest(argv[2])
    if command == "epochs":
        return epochs()
    handler = {"finished": finished, "step": step, "starts": starts, "final-checkpoint": final_checkpoint,
               "evaluations": evaluations, "checkpoints": checkpoints}[command]
    return handler(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv) or 0)
