#!/usr/bin/env bash
# Benchmarks that print numbers (never assert them): pull over loopback from the emulator, and
# import of a large S3-export-like file. Usage: scripts/bench.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-debug}"
flag=(); [ "$profile" = release ] && flag=(--release)
export AWS_EC2_METADATA_DISABLED=true

cargo build --quiet "${flag[@]}" --bin threat-review -p threat-review
cargo build --quiet --release -p guardduty-emulator
app="target/$profile/threat-review"
emulator="target/release/guardduty-emulator"

work=$(mktemp -d)
emulator_pid=""
cleanup() { [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A profile in a throwaway HOME; the keys are fake and only reach the loopback emulator.
mkdir -p "$work/home/.aws"
printf '[profile bench]\nregion = us-east-1\n' >"$work/home/.aws/config"
printf '[bench]\naws_access_key_id = AKIDBENCHMARK0000001\naws_secret_access_key = bench\n' \
  >"$work/home/.aws/credentials"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
millis() { local start end; start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N); echo $(((end - start) / 1000000)); }

# 1,290 generated findings per region, of which about 1,000 are of the ten types and unarchived.
"$emulator" --generate us-east-1=1290 --generate eu-west-1=1290 >"$work/emulator.out" 2>/dev/null &
emulator_pid=$!
for _ in $(seq 50); do grep -q listening "$work/emulator.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/emulator.out")

pull() { HOME="$work/home" "$app" pull --profile bench --endpoint-url "$url" "$@" --json; }
found=$(pull --region us-east-1 | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(len(g["findings"]) for g in d["groups"]) + len(d["withoutInstance"]))')
one=$(for _ in 1 2 3 4 5; do millis pull --region us-east-1; done | median)
two=$(for _ in 1 2 3 4 5; do millis pull --region us-east-1 --region eu-west-1; done | median)
echo "pull, $profile build, loopback emulator:"
echo "  1 region, $found findings: median of 5 runs ${one} ms"
echo "  2 regions, $((found * 2)) findings (about): median of 5 runs ${two} ms"

# Import: 50,000 findings in one .jsonl.gz, as an S3 export object.
python3 - "$work/export.jsonl" <<'PY'
import json, sys
base = json.load(open("src-tauri/src/sample/findings.json"))["findings"]
with open(sys.argv[1], "w") as out:
    for n in range(50_000):
        f = dict(base[n % len(base)]); f["id"] = f"bench{n:08d}"
        f["resource"] = {"resourceType": "Instance", "instanceDetails": {"instanceId": f"i-{n % 2000:017x}"}}
        out.write(json.dumps(f) + "\n")
PY
gzip -k "$work/export.jsonl"
size=$(du -h "$work/export.jsonl.gz" | cut -f1)
runs=$(for _ in 1 2 3; do millis "$app" import "$work/export.jsonl.gz" --json; done | median)
rss=$(/usr/bin/time -f %M "$app" import "$work/export.jsonl.gz" --json 2>&1 >/dev/null | tail -n1)
echo "import, $profile build: 50,000 findings on 2,000 instances, .jsonl.gz of $size"
echo "  --json: median of 3 runs ${runs} ms, peak RSS $((rss / 1024)) MiB"
