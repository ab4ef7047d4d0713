package io.alauda.dra.doctor;

/** A selector that does not compile, does not type-check, or costs more than Kubernetes allows. */
public final class SelectorException extends Exception {

    public SelectorException(String message) {
        super(message);
    }
}
