package io.alauda.dra.json;

/**
 * Malformed JSON. The message starts with {@code line L, column C:} so that whoever edited the file can go straight
 * to the problem; callers add which file it was.
 */
public final class JsonParseException extends IllegalArgumentException {

    private final int line;
    private final int column;
    private final String problem;

    JsonParseException(int line, int column, String problem) {
        super(line > 0 ? "line " + line + ", column " + column + ": " + problem : problem);
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** 1-based; 0 when the problem has no position (a file nested too deep). */
    public int line() {
        return line;
    }

    /** 1-based, counted in UTF-16 characters. */
    public int column() {
        return column;
    }

    /** The message without the position. */
    public String problem() {
        return problem;
    }
}
