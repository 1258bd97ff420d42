import { v7 as uuidv7 } from 'uuid'
import { Seatflow } from '../../src/app/seatflow'
import { subscriptionStream } from '../../src/domain/events'
import { defaultProviderIds } from '../../src/domain/ids'
import { startedAt, storageOf } from '../support/app'

/** The text of a subscription as an older seatflow may have stored it (no control-character rule then). */
export interface OldSubscriptionText {
  readonly product?: string
  readonly billingContractId?: string
}

/**
 * A subscription stored straight into the log, as seatflow stored it before command text was
 * checked for control characters: the stored-event codecs still read it. Its id.
 */
export const storeOldSubscription = async (app: Seatflow, text: OldSubscriptionText, providerId: string = defaultProviderIds.manual): Promise<string> => {
  const subscriptionId = uuidv7()
  const appended = await storageOf(app).events.append(subscriptionStream(subscriptionId), 'no_stream', [{
    eventId: uuidv7(),
    type: 'SubscriptionCreated',
    data: {
      subscriptionId, product: text.product ?? 'Widget', providerId, quantity: 0,
      billingContractId: text.billingContractId ?? 'BC-1', contractOwnerEmail: 'owner@customer.example', bundle: null,
    },
    metadata: { occurredAt: startedAt, actor: 'older seatflow', correlationId: uuidv7(), causationId: null },
  }])
  if (appended._tag === 'Left') throw new Error(`could not store the old subscription: ${appended.left._tag}`)
  await app.process()
  return subscriptionId
}
