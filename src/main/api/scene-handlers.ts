/** Handlers of the scene and map channels (thin: the work is in `ApiServices`). */
import { ApiError } from '../../shared/envelope.js'
import type { ApiHandlers } from './handlers.js'

type Channel = 'scenes.get' | 'scenes.compute' | 'scenes.matrix' | 'map.get' | 'map.compute'

const notYet = (): never => {
  throw new ApiError('unsupported', 'this channel is being built')
}

/** One handler per scene channel. */
export const sceneHandlers: Pick<ApiHandlers, Channel> = {
  'scenes.get': notYet, 'scenes.compute': notYet, 'scenes.matrix': notYet, 'map.get': notYet, 'map.compute': notYet,
}
