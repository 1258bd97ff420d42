import * as E from 'fp-ts/Either'

/**
 * Schema versions of stored events.
 *
 * Where the version lives: in each event's metadata, as `schemaVersion` (a whole number from 1).
 * Metadata is the part of the envelope every store already keeps verbatim (a SQLite column, an
 * EventStoreDB event's metadata bytes, a line of an export), so the version travels with the
 * event through every adapter and through export/import with no change to any of them. It is per
 * event type: a type's shape evolves on its own. An event stored before versions existed has no
 * `schemaVersion` and reads as version 1, today's shapes.
 *
 * How to change the shape of an event type T (the upgrade path):
 * 1. Leave `test/fixtures/events/T.v1.ndjson` as it is: it is the golden record of the old shape.
 * 2. Change T's codec in `events.ts` to the new shape, and the deciders and projections with it.
 * 3. Add an upcaster `{ type: 'T', from: 1, up: (data) => ... }` to `upcasters` below: a small
 *    pure function from the old data to the new. T's current version is now 2: new T events are
 *    stored with `schemaVersion: 2`, old ones are upcast on every read, before validation.
 * 4. Add `T.v2.ndjson` (the golden test fails until you do); the v1 file is then replayed
 *    through the upcaster by the same test. Never rewrite stored events.
 * An older seatflow that meets a T of version 2 stops with "written by a newer seatflow" rather
 * than misreading it: upgrade every reader before the first writer.
 */

/** One step of an event type's shape: its data at version `from` made into its data at `from + 1`. Pure and total. */
export interface Upcaster {
  readonly type: string
  readonly from: number
  readonly up: (data: unknown) => unknown
}

/** The upcasters seatflow knows, by type in version order, and the current version of each type. */
export interface SchemaRegistry {
  readonly currentVersion: (type: string) => number
  readonly steps: (type: string) => ReadonlyArray<Upcaster>
}

/** A registry of these upcasters; throws when a type's steps do not run 1, 2, 3... without a gap. */
export const createSchemaRegistry = (upcasters: ReadonlyArray<Upcaster>): SchemaRegistry => {
  const byType = new Map<string, Upcaster[]>()
  for (const upcaster of upcasters) byType.set(upcaster.type, [...(byType.get(upcaster.type) ?? []), upcaster])
  for (const [type, steps] of byType) {
    steps.sort((a, b) => a.from - b.from)
    steps.forEach((step, index) => {
      if (step.from !== index + 1) throw new Error(`upcasters of ${type} must go from version 1 up without a gap; found one from ${step.from} at step ${index + 1}`)
    })
  }
  return {
    currentVersion: (type) => 1 + (byType.get(type)?.length ?? 0),
    steps: (type) => byType.get(type) ?? [],
  }
}

const isRecord = (data: unknown): data is Readonly<Record<string, unknown>> => typeof data === 'object' && data !== null && !Array.isArray(data)

/**
 * The upcasters of production (see the upgrade path above). LicenseChangeRecorded v2 says what the
 * change asks of the provider (`kind`): every change recorded before cancellations and
 * reactivations existed asked for a new quantity.
 */
export const upcasters: ReadonlyArray<Upcaster> = [
  { type: 'LicenseChangeRecorded', from: 1, up: (data) => (isRecord(data) ? { ...data, kind: 'change' } : data) },
]

/** The registry seatflow reads and writes with. */
export const schemaRegistry: SchemaRegistry = createSchemaRegistry(upcasters)

/** The stored version of an event, from its raw metadata: absent means 1 (stored before versions existed). */
export const storedVersionOf = (metadata: unknown): E.Either<string, number> => {
  const version = typeof metadata === 'object' && metadata !== null
    ? (metadata as { readonly schemaVersion?: unknown }).schemaVersion
    : undefined
  if (version === undefined) return E.right(1)
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 1
    ? E.right(version)
    : E.left(`metadata schemaVersion: expected a whole number from 1, got ${JSON.stringify(version)}`)
}

/** Bring data of `type` stored at `version` up to the current version, or say why it cannot be read. */
export const upcast = (registry: SchemaRegistry, type: string, version: number, data: unknown): E.Either<string, unknown> => {
  const current = registry.currentVersion(type)
  if (version > current) {
    return E.left(`schema version ${version} of ${type} was written by a newer seatflow (this one reads up to version ${current}): upgrade seatflow to read this store`)
  }
  let value = data
  for (const step of registry.steps(type).slice(version - 1)) {
    try {
      value = step.up(value)
    } catch (error) {
      return E.left(`upcasting ${type} from schema version ${step.from} failed: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return E.right(value)
}

/** The metadata an event is stored with: its command's metadata and the current version of its type. */
export const withSchemaVersion = <M extends object>(metadata: M, type: string, registry: SchemaRegistry = schemaRegistry)
: M & { readonly schemaVersion: number } => ({ ...metadata, schemaVersion: registry.currentVersion(type) })
