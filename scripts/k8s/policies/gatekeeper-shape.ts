// Gatekeeper's kinds have no kubernetes-models class, so their shape is checked here against the
// fields of Gatekeeper's ConstraintTemplate v1 CRD and the constraint CRDs it generates, with every
// unknown key refused (a misspelt field would be dropped by the API server, not reported).
import { Ajv, type ValidateFunction } from 'ajv';
import type { K8sObject } from '../check/k8s-object.js';
import { objectId } from '../check/k8s-object.js';

const closed = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const text = { type: 'string', minLength: 1 };
const strings = { type: 'array', items: text };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const metadata = closed({ name: text, annotations: stringMap, labels: stringMap }, ['name']);
const cel = closed({ name: text, expression: text }, ['name', 'expression']);
const validation = closed({ expression: text, message: text, messageExpression: text, reason: text }, [
  'expression',
]);

const TEMPLATE = closed(
  {
    apiVersion: { const: 'templates.gatekeeper.sh/v1' },
    kind: { const: 'ConstraintTemplate' },
    metadata,
    spec: closed(
      {
        crd: closed({
          spec: closed({
            names: closed({ kind: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' } }, ['kind']),
            validation: closed({ openAPIV3Schema: { type: 'object' } }),
          }),
        }),
        targets: {
          type: 'array',
          minItems: 1,
          items: closed(
            {
              target: { const: 'admission.k8s.gatekeeper.sh' },
              code: {
                type: 'array',
                minItems: 1,
                items: closed(
                  {
                    engine: { const: 'K8sNativeValidation' },
                    source: closed(
                      {
                        variables: { type: 'array', items: cel },
                        validations: { type: 'array', minItems: 1, items: validation },
                      },
                      ['validations'],
                    ),
                  },
                  ['engine', 'source'],
                ),
              },
            },
            ['target', 'code'],
          ),
        },
      },
      ['crd', 'targets'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const CONSTRAINT = closed(
  {
    apiVersion: { const: 'constraints.gatekeeper.sh/v1beta1' },
    kind: text,
    metadata,
    spec: closed({
      enforcementAction: { enum: ['deny', 'dryrun', 'warn'] },
      match: closed({
        kinds: {
          type: 'array',
          items: closed({ apiGroups: { type: 'array', items: { type: 'string' } }, kinds: strings }),
        },
        labelSelector: closed({ matchLabels: stringMap }),
        namespaces: strings,
        excludedNamespaces: strings,
      }),
      parameters: { type: 'object' },
    }),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const ajv = new Ajv({ allErrors: true, strict: true });
const validators: Record<'template' | 'constraint', ValidateFunction> = {
  template: ajv.compile(TEMPLATE),
  constraint: ajv.compile(CONSTRAINT),
};

/** Problems of Gatekeeper objects; each constraint's kind must be one a template defines. */
export function gatekeeperProblems(templates: K8sObject[], constraintObjects: K8sObject[]): string[] {
  const problems: string[] = [];
  const kinds = new Set<string>();
  const validate = (object: K8sObject, which: keyof typeof validators) => {
    const validator = validators[which];
    if (!validator(object))
      for (const error of validator.errors ?? [])
        problems.push(`${objectId(object)}${error.instancePath}: ${error.message ?? 'invalid'}`);
  };
  for (const template of templates) {
    validate(template, 'template');
    const kind = (template['spec'] as { crd?: { spec?: { names?: { kind?: string } } } }).crd?.spec?.names
      ?.kind;
    if (kind !== undefined) {
      kinds.add(kind);
      if (template.metadata.name !== kind.toLowerCase())
        problems.push(`${objectId(template)}: Gatekeeper requires the name ${kind.toLowerCase()}`);
    }
  }
  for (const constraint of constraintObjects) {
    validate(constraint, 'constraint');
    if (!kinds.has(constraint.kind))
      problems.push(`${objectId(constraint)}: no ConstraintTemplate defines ${constraint.kind}`);
  }
  return problems;
}
