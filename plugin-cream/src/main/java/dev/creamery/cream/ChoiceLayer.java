package dev.creamery.cream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.List;

/**
 * One searchable layer of the supernet: the official {@code ModuleList} of its six candidate blocks
 * ({@code blocks.S.L.0} ... {@code blocks.S.L.5}, in the order of {@link Op#CHOICES}), each with its
 * own weights; the selected one runs.
 */
final class ChoiceLayer extends Module {
    private final List<MobileBlock> choices;
    private int selected;

    ChoiceLayer(List<MobileBlock> choices) {
        this.choices = choices;
        for (int i = 0; i < choices.size(); i++) {
            addChildBlock(Integer.toString(i), choices.get(i));
        }
    }

    void select(int choice) {
        selected = choice;
    }

    int selected() {
        return selected;
    }

    /** @return the candidate blocks, in choice order */
    List<MobileBlock> choices() {
        return choices;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return choices.get(selected).apply(store, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return choices.get(selected).trace(input, macs);
    }
}
