package dev.proxysql.operator.catalog;

/**
 * The first part of a constraint's version that is a wildcard ({@code x}, {@code X}, {@code *}) or
 * missing. Masterminds calls these "dirty" versions; which part is dirty changes how several
 * operators compare (for example {@code <= 1.1} accepts 1.1.9 because the patch is open).
 */
enum Wildcard {
    /** All of major.minor.patch are given, e.g. {@code 1.2.3}. */
    NONE,
    /** The patch is open, e.g. {@code 1.2}, {@code 1.2.x}. Masterminds: patchDirty. */
    PATCH,
    /** Minor and patch are open, e.g. {@code 1}, {@code 1.x}, {@code 1.x.7}. Masterminds: minorDirty. */
    MINOR,
    /** Everything is open, e.g. {@code *}, {@code x.2.3}. Masterminds: dirty without minor/patchDirty. */
    MAJOR
}
