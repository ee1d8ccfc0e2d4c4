#!/bin/sh
# Retrain, gate, promote: the one script behind the compose `trainer`, the Kubernetes Job/CronJob and
# the mlops workflow, so all three apply the same gate.
#   1. run the training pipeline (prep -> split -> train -> evaluate -> register) on DATASET_DIR
#   2. evaluate the new model and the served one (production alias, else the bundled model) on the SAME
#      fixed test split
#   3. promote the new model to `production` only if its accuracy is not worse (PROMOTE=true)
# Writes a JSON summary to GATE_REPORT (default $SPORTSCAN_HOME/gate-report.json) and stdout.
# Exit codes: 0 promoted or gate passed without promoting, 3 gate refused, other = failure.
set -eu

: "${DATASET_DIR:?set DATASET_DIR to the dataset folder (one sub-folder per class)}"
[ -d "$DATASET_DIR" ] || { echo "retrain: dataset folder $DATASET_DIR does not exist" >&2; exit 2; }
PIPELINE_FILE="${PIPELINE_FILE:-pipelines/sports-ball-classification.yaml}"
MODEL_NAME="${MODEL_NAME:-sports-ball-cnn}"
PROMOTE="${PROMOTE:-true}"
# the fixed split: both models are scored on its test list, which the new model never trained on
: "${SPLIT_FILE:?set SPLIT_FILE to the split file ({"train": [...], "test": [...]})}"
[ -f "$SPLIT_FILE" ] || { echo "retrain: split file $SPLIT_FILE does not exist" >&2; exit 2; }
EPOCHS="${EPOCHS:-}"
# the largest accuracy drop still counted as "not worse" (evaluation noise on a small test set)
GATE_TOLERANCE="${GATE_TOLERANCE:-0}"
GATE_REPORT="${GATE_REPORT:-${SPORTSCAN_HOME:-.sportscan}/gate-report.json}"
SPORTSCAN="${SPORTSCAN:-node dist/cli/main.js}"

# promote=none: the pipeline only registers; promotion is this script's decision
set -- pipeline run "$PIPELINE_FILE" --data "$DATASET_DIR"
# pipeline-level params of pipelines/sports-ball-classification.yaml
[ -n "$EPOCHS" ] && set -- "$@" --set "epochs=$EPOCHS"
set -- "$@" --set "split=$SPLIT_FILE" --set "promote=none"
# extra `key=value` overrides, space separated (values without spaces)
for kv in ${PIPELINE_SET:-}; do set -- "$@" --set "$kv"; done

echo "retrain: $SPORTSCAN $*" >&2
# shellcheck disable=SC2086 # SPORTSCAN is a command line
$SPORTSCAN "$@"

# evaluate [ref]: the registered model ref, or with no argument the bundled model (SPORTSCAN_BUNDLED_MODEL)
evaluate() {
  # shellcheck disable=SC2086
  $SPORTSCAN evaluate ${1:+--model "$1"} --data "$DATASET_DIR" --split-file "$SPLIT_FILE" --subset test --json
}

# reads `sportscan evaluate --json` from stdin: the whole text, or else its last JSON line
accuracy_of() {
  node -e '
let s = ""
process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const tryParse = (t) => { try { return JSON.parse(t) } catch { return undefined } }
  const lines = s.trim().split("\n").reverse()
  const doc = tryParse(s) ?? lines.map(tryParse).find((v) => v && typeof v === "object")
  const a = doc && doc.accuracy
  if (typeof a !== "number") { console.error("retrain: no accuracy in: " + s.slice(0, 500)); process.exit(2) }
  process.stdout.write(String(a))
})'
}

# the version just registered, pinned, so a registration racing this script cannot be promoted by mistake
# shellcheck disable=SC2086
candidate_ref=$($SPORTSCAN models show "$MODEL_NAME@latest" --json | node -e '
let s = ""
process.stdin.on("data", (d) => (s += d)).on("end", () => process.stdout.write(String(JSON.parse(s).ref)))')
candidate=$(evaluate "$candidate_ref" | accuracy_of)
# The baseline is what the API serves now: the production alias, or without one the bundled model, so a
# first retrain on a fresh install cannot replace the shipped model with a worse one.
if production_json=$(evaluate "$MODEL_NAME@production" 2>/dev/null); then
  production=$(printf '%s' "$production_json" | accuracy_of)
  baseline="$MODEL_NAME@production"
elif [ -f "${SPORTSCAN_BUNDLED_MODEL:-models/sports-ball-cnn}/model.json" ]; then
  production=$(evaluate | accuracy_of)
  baseline=bundled
else
  # nothing served yet: the first registered model has nothing to beat
  production=""
  baseline=none
fi

verdict=$(node -e '
const [cand, prod, tol] = [Number(process.argv[1]), process.argv[2], Number(process.argv[3])]
process.stdout.write(prod === "" || cand >= Number(prod) - tol ? "pass" : "refuse")
' "$candidate" "$production" "$GATE_TOLERANCE")

promoted=false
if [ "$verdict" = pass ] && [ "$PROMOTE" = true ]; then
  # shellcheck disable=SC2086
  $SPORTSCAN models promote "$candidate_ref" --alias production
  promoted=true
fi

mkdir -p "$(dirname "$GATE_REPORT")"
printf '{"model":"%s","candidateAccuracy":%s,"baseline":"%s","productionAccuracy":%s,"verdict":"%s","promoted":%s}\n' \
  "$candidate_ref" "$candidate" "$baseline" "${production:-null}" "$verdict" "$promoted" | tee "$GATE_REPORT"

[ "$verdict" = pass ] || exit 3
