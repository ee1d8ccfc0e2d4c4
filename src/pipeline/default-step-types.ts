import { createStepTypeRegistry, type StepTypeRegistry } from './step-type.js'
import {
  evaluateStep,
  prepStep,
  quantizeStep,
  registerStep,
  splitStep,
  trainStep,
  transferStep,
} from './steps/index.js'

/** The step types pipeline YAML can name; a new kind of step is one file in steps/ plus a line here. */
export function defaultStepTypes(): StepTypeRegistry {
  return createStepTypeRegistry([
    prepStep,
    splitStep,
    trainStep,
    transferStep,
    evaluateStep,
    quantizeStep,
    registerStep,
  ])
}
