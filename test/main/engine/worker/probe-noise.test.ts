/** Which stderr lines of the inference process are provider-probe noise kept out of the terminal. */
import { describe, expect, it } from 'vitest'
import { isProbeNoise } from '../../../../src/main/engine/worker/spawn-inference-process.js'

describe('isProbeNoise', () => {
  it('matches the native warnings of a failed GPU probe, and nothing else', () => {
    for (const line of [
      "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory",
      '    at operator() (/build/Release/_deps/dawn-src/src/dawn/native/vulkan/BackendVk.cpp:368)',
      'Warning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER',
    ]) expect([line, isProbeNoise(line)]).toEqual([line, true])
    for (const line of [
      'Error: cannot create an inference session for centernet-mobilenetv3: bad model',
      '    at InferenceProcess.load (/work/main/src/main/engine/worker/inference-process.ts:96:5)',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'Warning: something about photos',
    ]) expect([line, isProbeNoise(line)]).toEqual([line, false])
  })
})
