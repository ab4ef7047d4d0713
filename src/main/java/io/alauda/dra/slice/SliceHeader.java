package io.alauda.dra.slice;

/**
 * Where one slice sits: the node it belongs to and its place in the node's pool.
 *
 * @param index      position of the slice in the pool, from 0; written into the slice-index label
 * @param sliceCount number of slices in the pool at this generation
 */
record SliceHeader(String nodeName, String nodeUid, long generation, int index, int sliceCount) {
}
