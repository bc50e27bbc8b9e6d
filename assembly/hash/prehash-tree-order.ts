// The order in which the reference generator visits sibling sensor elements (and sensor reports,
// quantity elements, …) when it collects the extensions inside standard fields. json_to_py sorts
// every object's members as Python tuples (name, text, children), so siblings of one name come out
// ordered by their raw text and then, recursively, by their sorted members. The extension block
// keeps that order instead of sorting its strings, so reproducing it needs this comparison; it runs
// only when two or more siblings carry extensions.
import { JsonValue } from '../json/value';
import { JsonLdContext } from '../jsonld/context';
import { hashKey, isIgnoredMember, isPairKey } from './prehash-generic';
import { compareCodePoints } from './prehash-text';
import { pythonScalarText } from './prehash-values';

class RawNode {
  constructor(
    public name: string,
    public text: string,
    public value: JsonValue,
  ) {}
}

/** The text json_to_py stores for a value: GS1 CURIEs expanded, not stripped; "" for containers. */
function rawText(value: JsonValue, ctx: JsonLdContext): string {
  const s = value.asString();
  if (s !== null) return ctx.expandGs1Curie(s);
  const text = pythonScalarText(value);
  return text === null ? '' : text;
}

function pushNode(nodes: Array<RawNode>, name: string, value: JsonValue, ctx: JsonLdContext): void {
  const array = value.asArray();
  if (array === null) {
    nodes.push(new RawNode(name, rawText(value, ctx), value));
    return;
  }
  for (let i = 0, n = array.length; i < n; i++) {
    const item = unchecked(array.items[i]);
    nodes.push(new RawNode(name, rawText(item, ctx), item));
  }
}

/** A node's children as json_to_py builds them: sorted, unless the object holds pair keys. */
function rawChildren(value: JsonValue, ctx: JsonLdContext): Array<RawNode> {
  const nodes = new Array<RawNode>();
  const object = value.asObject();
  if (object !== null) {
    let sortable = true;
    for (let i = 0, n = object.size; i < n; i++) {
      const key = unchecked(object.keys[i]);
      if (isIgnoredMember(key)) continue;
      if (isPairKey(key)) sortable = false;
      pushNode(nodes, hashKey(key, ctx), unchecked(object.values[i]), ctx);
    }
    if (sortable) sortNodes(nodes, ctx);
    return nodes;
  }
  const array = value.asArray();
  if (array !== null) {
    for (let i = 0, n = array.length; i < n; i++) pushNode(nodes, '', unchecked(array.items[i]), ctx);
  }
  return nodes;
}

function compareNodes(a: RawNode, b: RawNode, ctx: JsonLdContext): i32 {
  let c = compareCodePoints(a.name, b.name);
  if (c != 0) return c;
  c = compareCodePoints(a.text, b.text);
  if (c != 0) return c;
  return compareTrees(a.value, b.value, ctx);
}

/** Python's comparison of the children lists of two values: element by element, then by length. */
export function compareTrees(a: JsonValue, b: JsonValue, ctx: JsonLdContext): i32 {
  const left = rawChildren(a, ctx);
  const right = rawChildren(b, ctx);
  const n = left.length < right.length ? left.length : right.length;
  for (let i = 0; i < n; i++) {
    const c = compareNodes(unchecked(left[i]), unchecked(right[i]), ctx);
    if (c != 0) return c;
  }
  return left.length == right.length ? 0 : left.length < right.length ? -1 : 1;
}

/** Stable insertion sort (Python's sort is stable; these lists are short). */
function sortNodes(nodes: Array<RawNode>, ctx: JsonLdContext): void {
  for (let i = 1, n = nodes.length; i < n; i++) {
    const node = unchecked(nodes[i]);
    let j = i - 1;
    while (j >= 0 && compareNodes(unchecked(nodes[j]), node, ctx) > 0) {
      unchecked((nodes[j + 1] = nodes[j]));
      j--;
    }
    unchecked((nodes[j + 1] = node));
  }
}

/** Orders `parts` (rendered from `values`, index for index) as the generator's tree order, stably. */
export function joinInTreeOrder(values: Array<JsonValue>, parts: Array<string>, ctx: JsonLdContext): string {
  for (let i = 1, n = values.length; i < n; i++) {
    const value = unchecked(values[i]);
    const part = unchecked(parts[i]);
    let j = i - 1;
    while (j >= 0 && compareTrees(unchecked(values[j]), value, ctx) > 0) {
      unchecked((values[j + 1] = values[j]));
      unchecked((parts[j + 1] = parts[j]));
      j--;
    }
    unchecked((values[j + 1] = value));
    unchecked((parts[j + 1] = part));
  }
  return parts.join('');
}
