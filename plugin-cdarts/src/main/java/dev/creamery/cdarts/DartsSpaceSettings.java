package dev.creamery.cdarts;

import java.util.List;

/**
 * The settings of the {@code darts} space; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.space.darts}.
 *
 * @param cells the evaluation network's cells per layer (three layers; the official CIFAR network has 7, 7, 6)
 * @param channels the evaluation network's first node width ({@code init_channels})
 * @param dropPathRate the evaluation network's drop-path rate at the last epoch of its training
 * @param searchCells the search network's cells per layer (official 3, 3, 2)
 * @param searchChannels the search network's first node width
 */
public record DartsSpaceSettings(List<Integer> cells, int channels, double dropPathRate, List<Integer> searchCells, int searchChannels) {
    /** Checks the layouts and widths. */
    public DartsSpaceSettings {
        cells = List.copyOf(cells);
        searchCells = List.copyOf(searchCells);
        check("cells", cells);
        check("search-cells", searchCells);
        if (channels < 2 || channels % 2 != 0) {
            throw new IllegalArgumentException("channels must be a positive even number (factorized reductions halve it), got " + channels);
        }
        if (searchChannels < 2 || searchChannels % 2 != 0) {
            throw new IllegalArgumentException("search-channels must be a positive even number (factorized reductions halve it), got "
                    + searchChannels);
        }
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
    }

    private static void check(String name, List<Integer> layers) {
        if (layers.size() != 3 || layers.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException(name + " must give three layers of at least one cell each (the first two end in a "
                    + "reduction cell), got " + layers);
        }
    }

    Layout evaluation() {
        return Layout.cifar(cells);
    }

    Layout search() {
        return Layout.cifar(searchCells);
    }
}
