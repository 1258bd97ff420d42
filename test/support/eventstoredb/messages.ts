/** Building and reading the wire messages of the stand-in, with the client's own generated code. */
import { Any } from 'google-protobuf/google/protobuf/any_pb'
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb'
import * as shared from '@eventstore/db-client/generated/shared_pb'
import * as streams from '@eventstore/db-client/generated/streams_pb'
import { Expected, LogPosition, LogRecord, Proposed } from './log'

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A protocol mistake by the client: answered with INVALID_ARGUMENT. */
export class BadRequest extends Error {}

/** The stream name of an identifier, as UTF-8 text. */
export const streamNameOf = (identifier: shared.StreamIdentifier | undefined): string => {
  if (identifier === undefined) throw new BadRequest('a stream identifier is required')
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8')
}

/** A stream identifier message. */
export const identifierOf = (streamId: string): shared.StreamIdentifier =>
  new shared.StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'))

/** A proposed message, checked the way the node checks it. */
export const proposedOf = (message: streams.AppendReq.ProposedMessage | streams.BatchAppendReq.ProposedMessage): Proposed => {
  const uuid = message.getId()
  const id = uuid?.hasString() === true ? uuid.getString() : ''
  if (!uuidPattern.test(id)) throw new BadRequest(`event id "${id}" is not a UUID`)
  const map = message.getMetadataMap()
  const type = map.get('type')
  const contentType = map.get('content-type')
  if (type === undefined || contentType === undefined) throw new BadRequest('an event needs the metadata "type" and "content-type"')
  return { id: id.toLowerCase(), type, contentType, data: message.getData_asU8(), metadata: message.getCustomMetadata_asU8() }
}

/** The expectation of an Append's options. */
export const expectedOfAppend = (options: streams.AppendReq.Options): Expected => {
  switch (options.getExpectedStreamRevisionCase()) {
    case streams.AppendReq.Options.ExpectedStreamRevisionCase.REVISION: return { kind: 'revision', revision: Number(options.getRevision()) }
    case streams.AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM: return { kind: 'no_stream' }
    case streams.AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS: return { kind: 'stream_exists' }
    default: return { kind: 'any' }
  }
}

/** The expectation of a BatchAppend's options. */
export const expectedOfBatch = (options: streams.BatchAppendReq.Options): Expected => {
  switch (options.getExpectedStreamPositionCase()) {
    case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_POSITION: return { kind: 'revision', revision: Number(options.getStreamPosition()) }
    case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM: return { kind: 'no_stream' }
    case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS: return { kind: 'stream_exists' }
    default: return { kind: 'any' }
  }
}

/** A recorded event as a Read answers it. */
export const readEventOf = (record: LogRecord): streams.ReadResp => {
  const recorded = new streams.ReadResp.ReadEvent.RecordedEvent()
    .setId(new shared.UUID().setString(record.id))
    .setStreamIdentifier(identifierOf(record.streamId))
    .setStreamRevision(String(record.revision))
    .setCommitPosition(String(record.commit))
    .setPreparePosition(String(record.prepare))
    .setData(record.data)
    .setCustomMetadata(record.metadata)
  recorded.getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', String(record.created))
  const event = new streams.ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(record.commit))
  return new streams.ReadResp().setEvent(event)
}

/** A checkpoint message of a filtered subscription. */
export const checkpointOf = (position: LogPosition): streams.ReadResp =>
  new streams.ReadResp().setCheckpoint(new streams.ReadResp.Checkpoint()
    .setCommitPosition(String(position.commit)).setPreparePosition(String(position.prepare)))

/** The wrong-expected-version details a BatchAppend error carries. */
export const wrongVersionDetails = (current: number | 'no_stream', expected: Expected): Any => {
  const details = new shared.WrongExpectedVersion()
  if (current === 'no_stream') details.setCurrentNoStream(new GoogleEmpty())
  else details.setCurrentStreamRevision(String(current))
  switch (expected.kind) {
    case 'revision': details.setExpectedStreamPosition(String(expected.revision)); break
    case 'no_stream': details.setExpectedNoStream(new GoogleEmpty()); break
    case 'stream_exists': details.setExpectedStreamExists(new GoogleEmpty()); break
    case 'any': details.setExpectedAny(new GoogleEmpty()); break
  }
  const any = new Any()
  any.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion')
  return any
}

/** Details of another kind for a BatchAppend error. */
export const detailsOf = (name: 'MaximumAppendSizeExceeded' | 'Timeout', maxAppendSize = 0): Any => {
  const message = name === 'Timeout' ? new shared.Timeout() : new shared.MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize)
  const any = new Any()
  any.pack(message.serializeBinary(), `event_store.client.${name}`)
  return any
}

/** The wrong-expected-version answer of an Append. */
export const appendWrongVersion = (current: number | 'no_stream', expected: Expected): streams.AppendResp => {
  const wrong = new streams.AppendResp.WrongExpectedVersion()
  if (current === 'no_stream') wrong.setCurrentNoStream(new shared.Empty())
  else wrong.setCurrentRevision(String(current))
  switch (expected.kind) {
    case 'revision': wrong.setExpectedRevision(String(expected.revision)); break
    case 'no_stream': wrong.setExpectedNoStream(new shared.Empty()); break
    case 'stream_exists': wrong.setExpectedStreamExists(new shared.Empty()); break
    case 'any': wrong.setExpectedAny(new shared.Empty()); break
  }
  return new streams.AppendResp().setWrongExpectedVersion(wrong)
}

/** The success answer of an Append. */
export const appendSuccess = (currentRevision: number, position: LogPosition): streams.AppendResp => {
  const success = new streams.AppendResp.Success()
  if (currentRevision < 0) success.setNoStream(new shared.Empty())
  else success.setCurrentRevision(String(currentRevision))
  if (position.commit < 0) success.setNoPosition(new shared.Empty())
  else success.setPosition(new streams.AppendResp.Position().setCommitPosition(String(position.commit)).setPreparePosition(String(position.prepare)))
  return new streams.AppendResp().setSuccess(success)
}

/** The success answer of one BatchAppend request. */
export const batchSuccess = (currentRevision: number, position: LogPosition): streams.BatchAppendResp.Success => {
  const success = new streams.BatchAppendResp.Success()
  if (currentRevision < 0) success.setNoStream(new GoogleEmpty())
  else success.setCurrentRevision(String(currentRevision))
  if (position.commit < 0) success.setNoPosition(new GoogleEmpty())
  else success.setPosition(new shared.AllStreamPosition().setCommitPosition(String(position.commit)).setPreparePosition(String(position.prepare)))
  return success
}
