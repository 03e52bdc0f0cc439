package org.metaunsup.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the project version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"metaunsup " + (v == null ? "dev" : v)};
    }
}
