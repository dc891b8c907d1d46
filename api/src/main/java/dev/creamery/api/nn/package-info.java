/**
 * Building blocks for networks whose parameter names are the official PyTorch {@code state_dict}
 * keys: {@link dev.creamery.api.nn.Module} (a block with fixed parameter shapes that counts its
 * parameters and traces its multiply-accumulates symbolically) and the common layers built on it.
 * Plugins compose them into families; {@link dev.creamery.api.StateDict} reads and writes them.
 */
package dev.creamery.api.nn;
