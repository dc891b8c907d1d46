package dev.creamery.cream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.EpochAware;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;

/**
 * What the prioritized-path evaluator trains: the supernet, and beside it the meta-matching network
 * and the board, so that each epoch checkpoint holds all three and a resumed run continues with all
 * three. Runs as the supernet.
 */
final class CreamTraining extends Module implements EpochAware {
    private final CreamNet supernet;
    private final Board board;

    CreamTraining(CreamNet supernet, MetaMatching meta, Board board) {
        this.supernet = addChildBlock("supernet", supernet);
        addChildBlock("meta", meta);
        this.board = addChildBlock("board", board);
    }

    /** The board's buffers may just have been restored from a checkpoint. */
    @Override
    public void beginEpoch(int epoch, int epochs) {
        board.reload();
    }

    @Override
    public void endTraining() {}

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return supernet.apply(store, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return supernet.trace(input, macs);
    }
}
