import { CopiedEmailAddressesKey } from '../../src/domain/events'
import { ChangeSetting, decideSettings, evolveSettings, initialSettingsState } from '../../src/domain/settings'
import { email, given, settingChanged } from '../support/given'

const settings = given(decideSettings, evolveSettings, initialSettingsState)
const setCopied = (...addresses: ReadonlyArray<string>): ChangeSetting =>
  ({ type: 'ChangeSetting', key: CopiedEmailAddressesKey, value: addresses.map(email) })

describe('the copied email addresses setting', () => {
  test('starts empty', () => {
    expect(settings().state).toStrictEqual({ copiedEmailAddresses: [] })
  })

  test('a first list of addresses is recorded', () => {
    const state = settings().when(setCopied('ops@reseller.example', 'audit@reseller.example'))
      .then(settingChanged('ops@reseller.example', 'audit@reseller.example'))
    expect(state).toStrictEqual({ copiedEmailAddresses: ['ops@reseller.example', 'audit@reseller.example'] })
  })

  test('a new list replaces the old one', () => {
    const state = settings(settingChanged('ops@reseller.example')).when(setCopied('audit@reseller.example'))
      .then(settingChanged('audit@reseller.example'))
    expect(state).toStrictEqual({ copiedEmailAddresses: ['audit@reseller.example'] })
  })

  test('clearing the list is a change', () => {
    settings(settingChanged('ops@reseller.example')).when(setCopied()).then(settingChanged())
  })

  test('the same list again is refused: the setting is unchanged', () => {
    settings(settingChanged('ops@reseller.example', 'audit@reseller.example'))
      .when(setCopied('ops@reseller.example', 'audit@reseller.example'))
      .thenFails('SettingUnchanged', { key: CopiedEmailAddressesKey })
  })

  test('an empty list on an empty setting is refused: nothing to record', () => {
    settings().when(setCopied()).thenFails('SettingUnchanged', { key: CopiedEmailAddressesKey })
  })
})
