// kubernetes-models accepts fields its schema does not know (its validators have no
// additionalProperties), and so would a lenient apply: a misspelt `readOnlyRootFilesytem` would
// silently not apply. This check walks every object against the TypeScript interface of its kind
// (the models' .d.ts, read with the TypeScript compiler's type checker) and reports every field the
// interface does not declare. Maps (labels, annotations, ConfigMap data) are index signatures and
// take any key; fields typed any/unknown (embedded raw objects) are not descended into.
import ts from 'typescript';
import type { CheckModule } from '../check-module.js';
import { objectId } from '../k8s-object.js';
import { modelDeclarationPath } from '../model-registry.js';

// A program per set of declaration files: building one costs about a second, so it is reused for
// every target that needs no other kind.
const programs = new Map<string, ts.Program>();

function programFor(files: string[]): ts.Program {
  const key = [...files].sort().join('\n');
  let program = programs.get(key);
  if (program === undefined) {
    program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, types: [] });
    programs.set(key, program);
  }
  return program;
}

function kindType(program: ts.Program, file: string, kind: string): ts.Type | null {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) return null;
  const symbol = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `I${kind}`);
  return symbol === undefined ? null : checker.getDeclaredTypeOfSymbol(symbol);
}

function walk(
  checker: ts.TypeChecker,
  value: unknown,
  declared: ts.Type,
  path: string,
  problems: string[],
): void {
  const type = checker.getNonNullableType(declared);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  const members = type.isUnion() ? type.types : [type];
  if (Array.isArray(value)) {
    const element = members
      .map((member) => checker.getIndexTypeOfType(member, ts.IndexKind.Number))
      .find(Boolean);
    if (element !== undefined)
      value.forEach((item, i) => walk(checker, item, element, `${path}[${i}]`, problems));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const objects = members.filter((member) => member.flags & ts.TypeFlags.Object);
  if (objects.length === 0) return;
  const indexType = objects.map((member) => member.getStringIndexType()).find(Boolean);
  for (const [key, child] of Object.entries(value)) {
    const property = objects.map((member) => member.getProperty(key)).find(Boolean);
    if (property !== undefined) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (declaration !== undefined) {
        walk(
          checker,
          child,
          checker.getTypeOfSymbolAtLocation(property, declaration),
          `${path}.${key}`,
          problems,
        );
      }
    } else if (indexType !== undefined) {
      walk(checker, child, indexType, `${path}.${key}`, problems);
    } else {
      problems.push(`${path}.${key}: unknown field`);
    }
  }
}

export const unknownKeysCheck: CheckModule = {
  name: 'unknown-keys',
  check(target) {
    const problems: string[] = [];
    const files = new Map<string, string>();
    for (const object of target.objects) {
      const file = modelDeclarationPath(object.apiVersion, object.kind);
      if (file !== null) files.set(`${object.apiVersion}/${object.kind}`, file);
    }
    const program = programFor([...new Set(files.values())]);
    const checker = program.getTypeChecker();
    for (const object of target.objects) {
      const file = files.get(`${object.apiVersion}/${object.kind}`);
      // An unmodelled kind is the schema check's problem; it cannot be walked here.
      if (file === undefined) continue;
      const type = kindType(program, file, object.kind);
      if (type === null) {
        problems.push(`${objectId(object)}: ${file} declares no I${object.kind}`);
        continue;
      }
      walk(checker, object, type, objectId(object), problems);
    }
    return problems;
  },
};
