package io.alauda.dra.plugin.prepare;

/** Request data quoted in messages and logs: control characters escaped and length capped, so a hostile value cannot forge log lines. */
final class Printable {

    private static final int MAX = 128;

    private Printable() {
    }

    static String of(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && i < MAX; i++) {
            char c = value.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > MAX ? sb + "..." : sb.toString();
    }
}
