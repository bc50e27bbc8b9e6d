// The checks `npm run k8s:check` and tests/integration/deploy/ run on every rendered target, in
// this order. Schema first: the later checks read fields whose shape it has confirmed.
import type { CheckModule } from '../check-module.js';
import { admissionPoliciesCheck } from './admission-policies.js';
import { imagesCheck } from './images.js';
import { podShapeCheck } from './pod-shape.js';
import { probesCheck } from './probes.js';
import { schemaCheck } from './schema.js';
import { settingsCheck } from './settings.js';
import { unknownKeysCheck } from './unknown-keys.js';

export const CHECKS: readonly CheckModule[] = [
  schemaCheck,
  unknownKeysCheck,
  podShapeCheck,
  imagesCheck,
  probesCheck,
  settingsCheck,
  admissionPoliciesCheck,
];
