#!/bin/sh
# Retrain, gate, promote: the entry point of the compose `trainer`, the Kubernetes Job/CronJob and the mlops
# workflow. It runs `sportscan retrain`, the same gate as the CLI and the API's Retrain button:
#   1. the corrected scans (all, or those since RETRAIN_SINCE) are exported; part of them, stratified by label
#      and seeded (SPORTSCAN_GATE_HOLDOUT, SPORTSCAN_GATE_SEED), is held out, the rest merged onto DATASET_DIR
#   2. the training pipeline trains a candidate on that and registers it as `staging`
#   3. the candidate and the served model (production, else the bundled model) are scored on SPLIT_FILE's test
#      list and on the held-out scans, as the API serves them; the decision goes to gate_decisions
#   4. the candidate becomes `production` only if it is not worse on the test split (GATE_TOLERANCE) and better
#      on the held-out scans; with no corrected scan (a code or pipeline change) the test split decides
# Writes the decision as one line of JSON to GATE_REPORT (default $SPORTSCAN_HOME/gate-report.json) and stdout.
# Exit codes: 0 promoted, 3 gate refused, other = failure.
set -eu

: "${DATASET_DIR:?set DATASET_DIR to the dataset folder (one sub-folder per class)}"
[ -d "$DATASET_DIR" ] || { echo "retrain: dataset folder $DATASET_DIR does not exist" >&2; exit 2; }
# the fixed split: both models are scored on its test list, which the candidate never trains on
: "${SPLIT_FILE:?set SPLIT_FILE to the split file ({"train": [...], "test": [...]})}"
[ -f "$SPLIT_FILE" ] || { echo "retrain: split file $SPLIT_FILE does not exist" >&2; exit 2; }
EPOCHS="${EPOCHS:-}"
GATE_REPORT="${GATE_REPORT:-${SPORTSCAN_HOME:-.sportscan}/gate-report.json}"
SPORTSCAN="${SPORTSCAN:-node dist/cli/main.js}"

set -- retrain --data "$DATASET_DIR" --split-file "$SPLIT_FILE" --allow-no-feedback --json
[ -n "${RETRAIN_SINCE:-}" ] && set -- "$@" --since "$RETRAIN_SINCE"
# another pipeline YAML (e.g. pipelines/from-scratch.yaml) instead of the bundled transfer-learning one
[ -n "${PIPELINE_FILE:-}" ] && set -- "$@" --pipeline "$PIPELINE_FILE"
[ -n "${MODEL_NAME:-}" ] && set -- "$@" --model-name "$MODEL_NAME"
# the largest test accuracy drop still counted as "not worse" (evaluation noise on a small test set)
[ -n "${GATE_TOLERANCE:-}" ] && set -- "$@" --tolerance "$GATE_TOLERANCE"
[ -n "$EPOCHS" ] && set -- "$@" --set "epochs=$EPOCHS"
# extra `key=value` pipeline overrides, space separated (values without spaces)
for kv in ${PIPELINE_SET:-}; do set -- "$@" --set "$kv"; done

echo "retrain: $SPORTSCAN $*" >&2
mkdir -p "$(dirname "$GATE_REPORT")"
status=0
# shellcheck disable=SC2086 # SPORTSCAN is a command line
$SPORTSCAN "$@" >"$GATE_REPORT.tmp" || status=$?
# A report only for a decision (promoted, or refused with 3): a failed run leaves the last one in place.
if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then
  mv "$GATE_REPORT.tmp" "$GATE_REPORT"
  cat "$GATE_REPORT"
else
  rm -f "$GATE_REPORT.tmp"
fi
exit "$status"
