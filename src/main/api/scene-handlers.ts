/** Handlers of the scene and map channels (thin: the work is in `ApiServices`). */
import type { ApiHandlers } from './handlers.js'

type Channel = 'scenes.get' | 'scenes.compute' | 'scenes.matrix' | 'map.get' | 'map.compute'

/** One handler per scene channel. */
export const sceneHandlers: Pick<ApiHandlers, Channel> = {
  'scenes.get': (_request, s) => s.scenes.get(),
  'scenes.compute': (request, s) => s.scenes.compute(request.k),
  'scenes.matrix': (request, s) => s.scenes.matrix(request),
  'map.get': (request, s) => s.scenes.map(request.classId),
  'map.compute': (_request, s) => s.scenes.computeMap(),
}
