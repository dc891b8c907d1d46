package dev.creamery.api;

/**
 * An image classification data set split into training, validation and test parts. Registered
 * under a name like any component ({@code data { type = fashion-mnist }}).
 *
 * <p>{@link #task()} must be cheap (known from the settings alone), because jobs are validated before
 * any data is read; {@link #split} may load data on first use and must then fail with a message that
 * says what is missing and how to get it.
 */
public interface ImageDataSet {
    /** @return the image shape and classes, without reading the data */
    Task task();

    /**
     * @param split which part
     * @return that part, loaded on first use
     * @throws DataException if the data cannot be read (missing files, corrupt content)
     */
    ImageSplit split(Split split);
}
