package dev.creamery.spark;

import java.io.Serializable;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/** A partition's one element: each architecture is a partition of its own, so that each outcome returns as its task ends. */
final class FirstOfPartition<T> extends AbstractFunction1<Iterator<T>, T> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public T apply(Iterator<T> partition) {
        return partition.next();
    }
}
