package io.alauda.dra.doctor.kube;

/** Input the doctor cannot use: the message names the object, the field and the fix. */
public final class InputException extends Exception {

    public InputException(String message) {
        super(message);
    }
}
