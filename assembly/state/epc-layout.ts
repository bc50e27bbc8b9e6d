// Byte layouts of the per-EPC records (all fields u32). Register fields hold the index of the
// event that last won them (0 = never written); relation links hold EPC record references.

// Core record, one per EPC: the fields nearly every EPC uses, followed by the EPC's own key, so
// the key comparison that finds a record has already brought the record into cache.
export const EPC_LAST_EVENT: usize = 0; // newest event naming the EPC (also gives lastBizStep)
export const EPC_READ_POINT: usize = 4; // newest naming event that carries a readPoint
export const EPC_BIZ_LOCATION: usize = 8; // ... a bizLocation
export const EPC_DISPOSITION: usize = 12; // ... a disposition
export const EPC_AGGREGATION_CHILD: usize = 16; // child block of the aggregation relation
export const EPC_COMMISSION: usize = 28; // newest ObjectEvent ADD or transformation output
export const EPC_EXT: usize = 32; // extension record index, 0 until one is needed
// Newest naming event whose disposition is in_transit: a shipment stays in transit until a newer
// event carries a bizLocation, whatever dispositions come in between, so it cannot be read off
// EPC_DISPOSITION (4 bytes per EPC; the ext record would cost 48 for every shipped EPC).
export const EPC_TRANSIT: usize = 36;
export const EPC_KEY: usize = 40; // the key, a packed string (packed-string.ts)

// Extension record, allocated on first use: fields only some EPCs need.
export const EXT_DECOMMISSION: usize = 0; // newest ObjectEvent DELETE
export const EXT_CONSUMED: usize = 4; // oldest transformation consuming it
export const EXT_PRODUCED: usize = 8; // oldest transformation producing it
export const EXT_ASSOCIATION_CHILD: usize = 12; // child block of the association relation
export const EXT_AGGREGATION_CONTAINER: usize = 24; // container block, aggregation
export const EXT_ASSOCIATION_CONTAINER: usize = 36; // container block, association
export const EXT_RECORD_SIZE: u32 = 48;

// Child block: the child's side of one relation.
export const CHILD_EVENT: usize = 0; // newest ADD/DELETE listing this child: its parent register
export const CHILD_NEXT: usize = 4; // siblings in the container's list (only while inside)
export const CHILD_PREV: usize = 8;

// Container block: the container's side of one relation.
export const CONTAINER_CLEARED: usize = 0; // newest DELETE without children: everything older leaves
export const CONTAINER_FIRST: usize = 4; // head of the list of children currently inside
export const CONTAINER_COUNT: usize = 8; // length of that list
