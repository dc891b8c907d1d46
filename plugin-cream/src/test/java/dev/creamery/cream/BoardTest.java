package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The official admission rule on hand-made paths, and the board surviving a checkpoint through its buffers. */
class BoardTest {
    private static final Task TASK = Task.square(1, 4, 3);
    private static final List<Integer> DEPTHS = List.of(1, 1, 1, 1, 1);

    private static Board.Entry entry(double accuracy, long flops, int choice) {
        return new Board.Entry(accuracy, flops, new int[] {choice, choice, choice, choice, choice});
    }

    @Test
    void admitsAsTheOfficialRuleDoes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Board board = new Board(3, 5, DEPTHS, 2, TASK);
            board.initialize(manager, DataType.FLOAT32, new Shape(1));
            NDArray images = manager.zeros(new Shape(2, 1, 4, 4));
            NDArray taught = manager.ones(new Shape(2, 3)).div(3);
            // Room: anything enters.
            for (Board.Entry e : List.of(entry(50, 100, 0), entry(70, 100, 1), entry(60, 100, 2))) {
                assertThat(board.admits(e.accuracy(), e.flops())).isTrue();
                board.admit(e, images, taught);
            }
            assertThat(board.entries()).extracting(Board.Entry::accuracy).containsExactly(70.0, 60.0, 50.0);
            // Full: not above the worst (50) is refused; above it by at most the gap only with fewer FLOPs.
            assertThat(board.admits(50, 10)).isFalse();
            assertThat(board.admits(54, 100)).isFalse();
            assertThat(board.admits(54, 99)).isTrue();
            assertThat(board.admits(55.5, 500)).isTrue();
            board.admit(entry(55.5, 500, 3), images, taught);
            assertThat(board.entries()).extracting(Board.Entry::accuracy).containsExactly(70.0, 60.0, 55.5);
            // Equal accuracy: more FLOPs first, as the official descending tuple sort.
            board.admit(entry(60, 300, 4), images, taught);
            assertThat(board.entries()).extracting(Board.Entry::flops).containsExactly(100L, 300L, 100L);
            assertThat(board.entries().get(1).path()).containsExactly(4, 4, 4, 4, 4);
        }
    }

    @Test
    void theBuffersHoldTheBoard() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Board board = new Board(4, 5, DEPTHS, 2, TASK);
            board.initialize(manager, DataType.FLOAT32, new Shape(1));
            board.admit(entry(40, 123_456_789, 5), manager.ones(new Shape(2, 1, 4, 4)), manager.ones(new Shape(2, 3)).mul(0.25f));
            board.admit(entry(80, 7, 1), manager.zeros(new Shape(2, 1, 4, 4)), manager.ones(new Shape(2, 3)).mul(0.5f));
            List<Board.Entry> before = board.entries();
            List<Board.Entry> copy = List.copyOf(before);
            board.reload();
            assertThat(board.entries()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(board.entries().get(i).accuracy()).isEqualTo(copy.get(i).accuracy());
                assertThat(board.entries().get(i).flops()).isEqualTo(copy.get(i).flops());
                assertThat(board.entries().get(i).path()).containsExactly(copy.get(i).path());
            }
            try (NDManager scope = manager.newSubManager()) {
                assertThat(board.images(1, scope).sum().getFloat()).isEqualTo(32f);
                assertThat(board.probabilities(0, scope).sum().getFloat()).isEqualTo(3f);
            }
        }
    }
}
