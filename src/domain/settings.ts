import * as E from 'fp-ts/Either'
import { Aggregate, Decision } from './decider'
import { CopiedEmailAddressesKey, SettingsEvent, settingsStream } from './events'
import { Email } from './values'

/** The global settings as their events made them. */
export interface SettingsState {
  readonly copiedEmailAddresses: ReadonlyArray<Email>
}

export const initialSettingsState: SettingsState = { copiedEmailAddresses: [] }

export interface ChangeSetting {
  readonly type: 'ChangeSetting'
  readonly key: typeof CopiedEmailAddressesKey
  readonly value: ReadonlyArray<Email>
}

const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((item, index) => item === b[index])

/** Decide what a setting change records. */
export const decideSettings = (command: ChangeSetting, state: SettingsState)
: Decision<SettingsEvent> =>
  sameList(state.copiedEmailAddresses, command.value)
    ? E.left({ _tag: 'SettingUnchanged', key: command.key })
    : E.right([{ type: 'SettingChanged', data: { key: command.key, value: command.value } }])

/** Apply a settings event. */
export const evolveSettings = (_state: SettingsState, event: SettingsEvent): SettingsState =>
  ({ copiedEmailAddresses: event.data.value })

/** The global settings: one stream, `settings`. */
export const settings: Aggregate<ChangeSetting, SettingsState, SettingsEvent> = {
  name: 'settings', streamOf: () => settingsStream, eventTypes: ['SettingChanged'],
  decide: decideSettings, evolve: evolveSettings, initialState: initialSettingsState,
}
