/**
 * `torch.nn.init`: the initialisers of ./init and the deprecated names of ./initDeprecated (one
 * namespace without an import cycle).
 *
 * @category torch
 * @since 0.2.0
 */
export * from './init'
export * from './initDeprecated'
