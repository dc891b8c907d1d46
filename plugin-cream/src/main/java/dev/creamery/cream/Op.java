package dev.creamery.cream;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One candidate of a searchable layer: an inverted-residual block with a depthwise kernel and an
 * expansion ratio, written {@code k5e6}.
 *
 * @param kernel the depthwise kernel side (3, 5 or 7)
 * @param expansion the ratio of hidden to input channels (4 or 6)
 */
record Op(int kernel, int expansion) {
    /** The official {@code choices_list}, in order: an official path indexes it. */
    static final List<Op> CHOICES = List.of(new Op(3, 4), new Op(3, 6), new Op(5, 4), new Op(5, 6), new Op(7, 4), new Op(7, 6));
    private static final Pattern FORM = Pattern.compile("k(\\d)e(\\d)");

    /**
     * @param text e.g. {@code k5e6}
     * @return the op
     * @throws IllegalArgumentException if it is not one of the {@link #CHOICES}
     */
    static Op parse(String text) {
        Matcher m = FORM.matcher(text);
        Op op = m.matches() ? new Op(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
        if (op == null || !CHOICES.contains(op)) {
            throw new IllegalArgumentException("unknown block '" + text + "'; the choices are " + names());
        }
        return op;
    }

    /**
     * @param index an official choice index
     * @return the op it names
     */
    static Op choice(int index) {
        return CHOICES.get(index);
    }

    /** @return the choices' names, in the official order */
    static List<String> names() {
        return CHOICES.stream().map(Op::toString).toList();
    }

    @Override
    public String toString() {
        return "k" + kernel + "e" + expansion;
    }
}
