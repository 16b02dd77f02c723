#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/Targets and runs each for N seconds (default 30), or for N inputs:
#   scripts/fuzz.sh [seconds] [target...]
#   scripts/fuzz.sh --runs N [target...]      (libFuzzer's -runs, no time limit; the seeds count as inputs)
# Targets: client-message (WSECore's JSON parser and ClientMessage), connector-in (connector IN's body),
# sip-message (SIPMessageParser), orc-parser (Orc lexer, parser, resolver), config-file (ConfigFile on Yams).
# Each target is compiled by swiftc with -sanitize=fuzzer,address together with the sources it tests (one
# module, so internal parsers are reachable), not through SwiftPM: the package's own build stays untouched.
# A target is rebuilt when one of its sources changed, or the list of them (a change of flags here is not seen).
# FUZZ_SEED=N fixes libFuzzer's random seed (scripts/test.sh uses 1, so that a CI run is repeatable); default random.
# Seeds: Fuzz/corpus/<target>/ (read only); new inputs go to .build/fuzz/corpus/<target>/; a crash is saved
# as .build/fuzz/crashes/<target>-crash-… and fails the run. Ends with "N passed, N failed" (targets).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --runs ]; then
  [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "usage: $0 --runs N [target...]"; exit 2; }
  limit=(-runs="$2" -max_total_time=0); what="$2 inputs"
  shift 2
else
  seconds=${1:-30}
  limit=(-max_total_time="$seconds"); what="$seconds s"
  shift || true
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(client-message connector-in sip-message orc-parser config-file)
out=.build/fuzz
mkdir -p "$out/bin" "$out/crashes" "$out/obj"
swiftc_flags=(-parse-as-library -sanitize=fuzzer,address -O -g -swift-version 6 -suppress-warnings)

# WSECore without Security/: the files that need swift-crypto live there (ArchitectureTests keep it so).
wsecore_sources() { find Sources/WSECore -name '*.swift' ! -path '*/Security/*' | sort; }

yams_objects() {  # CYaml, the C half of Yams, compiled once
  local yams=.build/checkouts/Yams/Sources
  [ -d "$yams" ] || swift package resolve >/dev/null || return 1
  local objects=()
  for c in "$yams"/CYaml/src/*.c; do
    local object="$out/obj/$(basename "$c" .c).o"
    [ "$object" -nt "$c" ] || clang -c -O1 -g -fsanitize=address -I "$yams/CYaml/include" "$c" -o "$object" || return 1
    objects+=("$object")
  done
  printf '%s\n' "${objects[@]}"
}

up_to_date() {  # binary, then its inputs: built from exactly these files, none changed since
  local binary=$1; shift
  [ -x "$binary" ] && [ "$(printf '%s\n' "$@")" = "$(cat "$binary.inputs" 2>/dev/null)" ] && [ -z "$(find "$@" -newer "$binary" | head -1)" ]
}

build() {  # target: compiles $out/bin/<target>, unless it is up to date
  local target=$1 module sources=() objects=() defines=()
  case $target in
    client-message) module=WSECore; mapfile -t sources < <(wsecore_sources); sources+=(Fuzz/Targets/ClientMessageFuzz.swift) ;;
    connector-in) module=WSECore; mapfile -t sources < <(wsecore_sources)
      sources+=(Sources/ConnectorIn/InboundEvent.swift Fuzz/Targets/ConnectorInFuzz.swift) ;;
    sip-message) module=SIP; mapfile -t sources < <(find Sources/SIP/Message Sources/SIP/Parser Sources/SIP/Transaction/SIPIdentifiers.swift -name '*.swift' | sort)
      sources+=(Fuzz/Targets/SIPMessageFuzz.swift) ;;
    orc-parser) module=Orc; mapfile -t sources < <(find Sources/Orc -name '*.swift' | sort); sources+=(Fuzz/Targets/OrcParserFuzz.swift) ;;
    config-file) module=Yams
      local listed
      listed=$(yams_objects) || return 1
      mapfile -t objects <<<"$listed"
      defines=(-DSWIFT_PACKAGE -Xcc -I.build/checkouts/Yams/Sources/CYaml/include)
      mapfile -t sources < <(find .build/checkouts/Yams/Sources/Yams -name '*.swift' | sort)
      mapfile -t -O "${#sources[@]}" sources < <(find Sources/ConfigFile -name '*.swift' | sort)
      sources+=(Fuzz/Targets/ConfigFileFuzz.swift) ;;
    *) echo "unknown target $target"; return 1 ;;
  esac
  local binary=$out/bin/$target
  if up_to_date "$binary" "${sources[@]}" "${objects[@]}"; then echo "$binary is up to date"; return 0; fi
  swiftc "${swiftc_flags[@]}" -module-name "$module" "${defines[@]}" "${sources[@]}" "${objects[@]}" -o "$binary" &&
    printf '%s\n' "${sources[@]}" "${objects[@]}" >"$binary.inputs"
}

# LeakSanitizer reports the Orc parser's trees as leaked: Swift keeps enum tags in the spare bits of the pointers
# inside indirect enums, which LeakSanitizer does not take for pointers. Measured instead: an input it reports,
# run 1,000 then 4,000 times, grew the peak RSS as much as the one-word program `signal` did (476 -> 481 MB, the
# sanitizer's own quarantine); -rss_limit_mb still stops a real leak.
leak_check() { [ "$1" = orc-parser ] && echo 0 || echo 1; }

# Without LeakSanitizer the allocation stacks AddressSanitizer records serve only its reports, and for the
# Orc parser they cost memory without end: its stack depot keeps every distinct call path, and a recursive
# descent parser fed new shapes makes new paths. Measured on the same 500,000 inputs from the same corpus
# and seed: 555 -> 631 MB with them, 525 -> 539 MB without, and a replay of 6,438 parsed inputs 150 times
# in a build without sanitizers stays at 26 MB: the growth was the sanitizer's, not the parser's. A crash
# still names where it happened; run its saved input again without this option for the allocation's stack.
allocation_stacks() { [ "$1" = orc-parser ] && echo 0 || echo 30; }

passed=0 failed=0
for target in "${targets[@]}"; do
  echo "==> fuzz $target: build"
  if ! build "$target" >"$out/$target.build.log" 2>&1; then
    grep -E "error" "$out/$target.build.log" | head -20
    echo "==> fuzz $target: BUILD FAILED (log: $out/$target.build.log)"; failed=$((failed + 1)); continue
  fi
  mkdir -p "$out/corpus/$target"
  echo "==> fuzz $target: $what"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: over 2 GiB is a leak or a blow-up.
  # The Swift runtime's backtracer reads other threads' stacks, which AddressSanitizer reports instead of the trap.
  leaks=$(leak_check "$target")
  if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=$leaks:malloc_context_size=$(allocation_stacks "$target") "$out/bin/$target" "$out/corpus/$target" "Fuzz/corpus/$target" "${limit[@]}" -seed="${FUZZ_SEED:-0}" -timeout=10 \
      -rss_limit_mb=2048 -detect_leaks="$leaks" -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/crashes/$target-" \
      >"$out/$target.log" 2>&1; then
    echo "==> fuzz $target: $(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$out/$target.log" | grep -Eo '[0-9]+') inputs" \
      "in $(grep -Eo 'Done [0-9]+ runs in [0-9]+' "$out/$target.log" | grep -Eo '[0-9]+$') s, no crash"
    passed=$((passed + 1))
  else
    echo "==> fuzz $target: FAILED (log: $out/$target.log)"
    grep -E "^==[0-9]+==ERROR|Fatal error|deadly signal|Test unit written|SUMMARY|^Base64" "$out/$target.log" | head -8
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
