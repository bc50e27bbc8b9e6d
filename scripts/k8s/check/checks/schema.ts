// Every object validates against the Kubernetes OpenAPI schema of its kind (kubernetes-models);
// an object of a kind no package models is a problem too: nothing here is applied unchecked.
import type { CheckModule } from '../check-module.js';
import { objectId } from '../k8s-object.js';
import { modelClass } from '../model-registry.js';

export const schemaCheck: CheckModule = {
  name: 'schema',
  check(target) {
    const problems: string[] = [];
    for (const object of target.objects) {
      const Model = modelClass(object.apiVersion, object.kind);
      if (Model === null) {
        problems.push(`${objectId(object)}: no schema for ${object.apiVersion} ${object.kind}`);
        continue;
      }
      try {
        new Model(object).validate();
      } catch (error) {
        problems.push(`${objectId(object)}: ${(error as Error).message}`);
      }
    }
    return problems;
  },
};
