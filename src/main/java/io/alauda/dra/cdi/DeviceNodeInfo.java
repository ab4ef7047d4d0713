package io.alauda.dra.cdi;

/**
 * What {@code stat} says about a device node.
 *
 * @param type     {@code c} (character) or {@code b} (block)
 * @param mode     permission bits only ({@code st_mode & 07777})
 * @param gid      owning group
 */
public record DeviceNodeInfo(String type, long major, long minor, int mode, long gid) {

    /** Other users can read and write it, so no supplementary group is needed to open it. */
    public boolean worldReadWritable() {
        return (mode & 0006) == 0006;
    }
}
