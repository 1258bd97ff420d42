import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { createSeatflow, Seatflow } from '../app/seatflow'
import { Gateways } from '../providers/gateway'
import { createFileMailer, Mailer } from '../providers/mail'
import { createSmtpMailer } from '../providers/smtp'
import { localFilesOf, openStorage, parseStoreUrl, removeSqliteFiles, StoreAddress } from '../store/open'
import { Storage } from '../store/storage'
import { Flags, UsageError } from './io'

/** The store a command line names: its URL and where that points. */
export interface NamedStore {
  readonly url: string
  readonly address: StoreAddress
}

/** The store of `--db FILE` or `--store URL` (a bare path is a SQLite file, as with --db), checked before anything is opened. */
export const storeOf = (flags: Flags): NamedStore => {
  if (flags.db !== undefined && flags.store !== undefined) throw new UsageError('give --db FILE or --store URL, not both')
  if (flags.db !== undefined && flags.db.trim() === '') throw new UsageError('--db needs a file path')
  const given = flags.store !== undefined ? { flag: '--store', value: flags.store, url: flags.store }
    : flags.db !== undefined ? { flag: '--db', value: flags.db, url: `sqlite:${flags.db}` } : undefined
  if (given === undefined) throw new UsageError('name the store with --db FILE (or --store URL)')
  const address = parseStoreUrl(given.url)
  if (E.isLeft(address)) throw new UsageError(`${given.flag} "${given.value}": ${address.left}`)
  return { url: given.url, address: address.right }
}

/** A new SQLite file in a fresh temp folder: the demo's store when it is given none. */
export const freshStore = (): NamedStore => {
  const path = join(mkdtempSync(join(tmpdir(), 'seatflow-demo-')), 'seatflow.db')
  return { url: `sqlite:${path}`, address: { _tag: 'Sqlite', path } }
}

/**
 * How a command uses its store: `read` an existing one and change nothing, `write` an existing
 * one, or `make` one where no file is (demo, import): an existing file must be a store already.
 */
export type StoreUse = 'read' | 'write' | 'make'

/** Open the store for that use; a path that holds no store is refused and left as it was. */
export const openStore = (store: NamedStore, use: StoreUse): Storage => {
  const exists = store.address._tag === 'Sqlite' && existsSync(store.address.path)
  return openStorage(store.url, { access: use === 'make' ? (exists ? 'write' : 'create') : use })
}

/** What a command's seatflow runs with besides its store: where mail goes, the gateways, whether it processes after each command. */
export interface SeatflowExtras {
  readonly mailer?: Mailer
  readonly gateways?: Gateways
  readonly autoProcess?: boolean
}

/** A seatflow on the store; it processes after each command only when asked (provision). */
export const openSeatflow = async (store: NamedStore, use: 'read' | 'write', extra: SeatflowExtras = {}): Promise<Seatflow> => {
  const storage = openStore(store, use)
  try {
    return await createSeatflow({
      store: storage, actor: 'cli', autoProcess: extra.autoProcess ?? false,
      ...(extra.mailer === undefined ? {} : { mailer: extra.mailer }), ...(extra.gateways === undefined ? {} : { gateways: extra.gateways }),
    })
  } catch (error) {
    await storage.close()
    throw error
  }
}

/** The store's files on this machine that are not there yet: what a run that writes nothing takes back. */
export const filesNotYetThere = (store: NamedStore): ReadonlyArray<string> => localFilesOf(store.address).filter((file) => !existsSync(file))

/** Remove files this run made (never one that was there before it). */
export const takeBack = (made: ReadonlyArray<string>): void => made.forEach(removeSqliteFiles)

const mailFolderOf = (store: NamedStore): string =>
  process.env.SEATFLOW_MAIL_DIR ?? (store.address._tag === 'Sqlite' ? `${store.address.path}-mail` : join(tmpdir(), 'seatflow-mail'))

/** Where mail goes: the SMTP server of SEATFLOW_SMTP_URL when it is set, else .eml files in the mail folder. */
export const mailOf = (store: NamedStore): { readonly mailer: Mailer; readonly where: string } => {
  const smtp = process.env.SEATFLOW_SMTP_URL
  if (smtp !== undefined && smtp.trim() !== '') return { mailer: createSmtpMailer(smtp.trim(), { from: process.env.SEATFLOW_MAIL_FROM ?? 'seatflow@localhost' }), where: `sent through ${smtp.trim()}` }
  const folder = mailFolderOf(store)
  return { mailer: createFileMailer(folder), where: `written to ${folder}` }
}
