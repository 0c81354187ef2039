#!/usr/bin/env bash
# Proves docs/make-it-yours.md: in a scratch copy of the repository, runs the guide's commands that
# remove the notes sample (its first sh block, as written there), then type-checks, builds, and runs
# the unit, Convex and attack suites and the core's browser tests. Each step and each test joins
# CI's closing line through reports/strip-*.json (.ci/summary.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mkdir -p reports
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The commands, exactly as the guide shows them under "Replace: the notes sample".
commands=$(awk '/^## Replace: the notes sample/ { section = 1; next }
	section && /^## / { exit }
	section && /^```sh$/ { block = 1; next }
	block && /^```$/ { exit }
	block { print }' docs/make-it-yours.md)

passed=0
failed=0
step() {
	local name=$1
	shift
	echo "strip-notes: $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "strip-notes: FAILED: $name"
		failed=$((failed + 1))
		return 1
	fi
}
finish() {
	printf '{"numPassedTests":%d,"numFailedTests":%d,"numPendingTests":0}\n' "$passed" "$failed" \
		>"$root/reports/strip-steps.json"
	exit "$1"
}

copy() {
	# The working tree as git sees it (tracked and new files, nothing ignored), and node_modules as
	# hard links; what `svelte-kit sync` and vite write there is removed first, so the copy's own
	# writes never reach the original's files.
	git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$scratch" &&
		cp -al node_modules "$scratch/node_modules" &&
		rm -rf "$scratch/node_modules/\$app" "$scratch/node_modules/.vite"
}
step 'a scratch copy of the repository' copy || finish 1
[ -n "$commands" ] || { echo 'strip-notes: no sh block in the guide'; failed=$((failed + 1)); finish 1; }
cd "$scratch" || finish 1
step "the guide's commands" bash -euo pipefail -c "$commands" || finish 1
step 'npm run check' npm run check
step 'vite build' npx vite build
[ "$failed" = 0 ] || finish 1

# A suite's report joins the closing line; a suite that wrote none (it could not start) counts as
# one failed step.
report() {
	if [ -f "reports/$1" ]; then
		cp "reports/$1" "$root/reports/strip-$1"
	else
		echo "strip-notes: FAILED: no report from $2"
		failed=$((failed + 1))
	fi
}
rm -rf reports
# The runners write their JSON reports under CI only (vite.config.ts, playwright.config.ts).
export CI=1
npx vitest run --project server --project convex --project security src convex tests/security
suites=$?
report vitest.json vitest

# The core's browser tests (docs/make-it-yours.md, "Tests to adapt"), on the stacks they use and
# no cluster (playwright.config.ts).
core_e2e=(tests/e2e/{account,auth,cookies,evil,headers,nojs,oauth,outage,recovery,refresh,sessions,verification}.e2e.ts)
E2E_STACKS=main,shortJwt,outage,secureCookies,loginLimit \
	npx playwright test "${core_e2e[@]}" --grep-invert @notes || suites=1
report playwright.json playwright
[ "$failed" = 0 ] || suites=1
finish "$suites"
