// One element of an event as the reader keeps it until the event's end tag: name, attributes,
// children and text. Only the event being read is held this way; the document around it streams.

export interface XmlAttribute {
  uri: string;
  prefix: string;
  local: string;
  value: string;
}

export interface XmlNode {
  /** Namespace URI ('' for unqualified names). */
  uri: string;
  prefix: string;
  local: string;
  /** The qualified name as written, for element paths. */
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  text: string;
}

/** A chain of nodes from an event down, turned into an element path only when something is wrong. */
export class ElementPath {
  private readonly nodes: XmlNode[] = [];

  /** `base` is the event's own path, e.g. `/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[2]`. */
  constructor(private readonly base: string) {}

  push(node: XmlNode): void {
    this.nodes.push(node);
  }

  pop(): void {
    this.nodes.pop();
  }

  /** The path of the innermost node pushed (plus an attribute, `@type`), siblings numbered from 1. */
  toString(attribute?: string): string {
    let path = this.base;
    for (let i = 1; i < this.nodes.length; i++) path += `/${segment(this.nodes[i - 1]!, this.nodes[i]!)}`;
    return attribute === undefined ? path : `${path}/@${attribute}`;
  }
}

/** `name`, or `name[n]` when the parent holds more than one element of that name. */
function segment(parent: XmlNode, child: XmlNode): string {
  let count = 0;
  let position = 0;
  for (const sibling of parent.children) {
    if (sibling.name !== child.name) continue;
    count++;
    if (sibling === child) position = count;
  }
  return count > 1 ? `${child.name}[${position}]` : child.name;
}
