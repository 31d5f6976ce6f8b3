#!/usr/bin/env bash
# External MCP clients against the real product: the MCP Inspector CLI (tools/list and one tools/call per
# server, over stdio and over HTTP) and the official conformance suite against each HTTP endpoint.
# Needs DATABASE_URL (a throwaway database: the demo organisation is loaded into it) and a built project.
# Prints "PASS name" / "FAIL name" lines and a summary; exits 1 if any check failed.
set -u
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?DATABASE_URL must point at a throwaway database}"
export DATABASE_URL QM_LOG_LEVEL=warn
unset QM_MCP_TOKEN

passed=0; failed=0
out="$(mktemp -d)"
check() { # name, command...
  local name="$1"; shift
  if "$@" >"$out/last" 2>&1; then echo "PASS  $name"; passed=$((passed + 1));
  else echo "FAIL  $name: $(tail -c 600 "$out/last" | tr '\n' ' ')"; failed=$((failed + 1)); fi
}
inspector() { timeout 120 npx --no-install mcp-inspector --cli "$@"; }
expect_json() { # file, python assertion over d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }

node bin/qm.js demo --json >"$out/demo.json" || { echo "FAIL  demo load"; echo "0 passed, 1 failed"; exit 1; }

# Tool call per server: name, arguments, and a check on the result.
declare -A TOOL=([spend]=spend_summary [supplier]=screen_sanctions [contract]=expiring_contracts)
tool_args() {
  case "$1" in
    spend) printf '%s\n' --tool-arg group_by=year ;;
    supplier) printf '%s\n' --tool-arg "name=Aerocaribbean Airlines" ;;
    contract) printf '%s\n' --tool-arg withinDays=365 ;;
  esac
}
declare -A WANT=([spend]="2012" [supplier]="AEROCARIBBEAN" [contract]="Refinitiv")

stdio_list() { inspector node bin/qm.js mcp "$1" -e DATABASE_URL="$DATABASE_URL" --method tools/list >"$out/$1.stdio.json" &&
  expect_json "$out/$1.stdio.json" "assert '${TOOL[$1]}' in [t['name'] for t in d['tools']]"; }
stdio_call() {
  local args; mapfile -t args < <(tool_args "$1")
  inspector node bin/qm.js mcp "$1" -e DATABASE_URL="$DATABASE_URL" --method tools/call --tool-name "${TOOL[$1]}" "${args[@]}" >"$out/$1.stdio.call.json" &&
  grep -q "${WANT[$1]}" "$out/$1.stdio.call.json" && ! grep -q '"isError": *true' "$out/$1.stdio.call.json"; }
for s in spend supplier contract; do
  check "inspector stdio $s tools/list" stdio_list "$s"
  check "inspector stdio $s tools/call ${TOOL[$s]}" stdio_call "$s"
done

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
PORT=$port HOST=127.0.0.1 setsid node bin/qm.js serve >"$out/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$port"

http_list() { inspector "$base/$1/mcp" --transport http --method tools/list >"$out/$1.http.json" &&
  expect_json "$out/$1.http.json" "assert '${TOOL[$1]}' in [t['name'] for t in d['tools']]"; }
http_call() {
  local args; mapfile -t args < <(tool_args "$1")
  inspector "$base/$1/mcp" --transport http --method tools/call --tool-name "${TOOL[$1]}" "${args[@]}" >"$out/$1.http.call.json" &&
  grep -q "${WANT[$1]}" "$out/$1.http.call.json" && ! grep -q '"isError": *true' "$out/$1.http.call.json"; }
conformance() {
  timeout 300 npx --no-install conformance server --url "$base/mcp/$1" --expected-failures "test/external/conformance/$1.yml" \
    --output-dir "$out/conformance-$1"; }
required_scenario() { timeout 120 npx --no-install conformance server --url "$base/mcp/$1" --scenario "$2"; }
for s in spend supplier contract; do
  check "inspector http $s tools/list" http_list "$s"
  check "inspector http $s tools/call ${TOOL[$s]}" http_call "$s"
  for scenario in server-initialize tools-list ping tools-call-error dns-rebinding-protection; do
    check "conformance $s $scenario" required_scenario "$s" "$scenario"
  done
  check "conformance $s active suite (expected failures listed)" conformance "$s"
done

kill -TERM -- -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
echo "external MCP client checks: $passed of $((passed + failed)) passed"
rm -rf "$out"
[ "$failed" = 0 ]
