#!/usr/bin/env bash
# Parser throughput before/after in one run (docs/SIP.md §Benchmarks).
#
#   bench/sip/parse-ab.sh BASE_REV [RUNS] [MESSAGES]
#
# Builds the `parse` benchmark (bench/sip/SIPBench/ParseBenchmark.swift of the working tree, so
# both sides parse the same messages) twice in release: over Sources/SIP/Message and
# Sources/SIP/Parser of BASE_REV, and of the working tree. Those two folders compile alone, so each
# build takes seconds instead of the full bench package's minutes. Then runs the two binaries
# alternately RUNS times (default 7) and prints every run and the medians: wall-clock messages/s
# and messages per second of the benchmark thread's CPU time (steadier on a shared machine).
set -euo pipefail

base_rev=${1:?usage: bench/sip/parse-ab.sh BASE_REV [RUNS] [MESSAGES]}
runs=${2:-7}
messages=${3:-1000000}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d /tmp/sip-parse-ab.XXXXXX)

make_package() { # $1: folder, $2: where Sources/SIP/{Message,Parser} come from
    mkdir -p "$1/Sources/SIP" "$1/Sources/SIPParseBench"
    cp -r "$2/Sources/SIP/Message" "$2/Sources/SIP/Parser" "$1/Sources/SIP/"
    cp "$repo/bench/sip/SIPBench/ParseBenchmark.swift" "$1/Sources/SIPParseBench/"
    cat > "$1/Sources/SIPParseBench/main.swift" <<'EOF'
let arguments = CommandLine.arguments
try ParseBenchmark.run(count: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000)
EOF
    cat > "$1/Package.swift" <<'EOF'
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "SIPParseBench",
    targets: [.target(name: "SIP"), .executableTarget(name: "SIPParseBench", dependencies: ["SIP"])]
)
EOF
    (cd "$1" && swift build -c release >build.log 2>&1) || { cat "$1/build.log"; exit 1; }
}

mkdir -p "$work/base-src"
git -C "$repo" archive "$base_rev" Sources/SIP/Message Sources/SIP/Parser | tar -x -C "$work/base-src"
make_package "$work/base" "$work/base-src"
make_package "$work/new" "$repo"
echo "base: $base_rev ($(git -C "$repo" rev-parse --short "$base_rev")), new: working tree of $(git -C "$repo" rev-parse --short HEAD)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

for run in $(seq "$runs"); do
    for side in base new; do
        line=$("$work/$side/.build/release/SIPParseBench" "$messages")
        echo "$side $run: $line"
        echo "$line" | sed -E 's/.* = ([0-9]+) messages\/s on one core.* = ([0-9]+) messages\/s per CPU second/\1 \2/' >>"$work/$side.rates"
    done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for side in base new; do
    echo "$side median: $(cut -d' ' -f1 "$work/$side.rates" | median) messages/s wall, $(cut -d' ' -f2 "$work/$side.rates" | median) messages/s per CPU second"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
