/**
 * The layer kit: building blocks for networks whose parameter names are the official PyTorch
 * {@code state_dict} keys, so that what two papers share is written once.
 * {@link dev.creamery.api.nn.Module} is a block with fixed parameter shapes that counts its
 * parameters and traces its multiply-accumulates symbolically; the common layers, the attention core
 * with its {@link dev.creamery.api.nn.PositionEncoding} hook, window partitioning, derived buffers
 * with {@link dev.creamery.api.nn.OfficialCheckpoint}, {@link dev.creamery.api.nn.OfficialFamily}
 * and the supernet skeleton {@link dev.creamery.api.nn.AbstractSupernet} are built on it. Plugins
 * compose them into families and spaces; {@link dev.creamery.api.StateDict} reads and writes them.
 */
package dev.creamery.api.nn;
