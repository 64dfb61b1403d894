package dev.proxysql.operator.runtime;

import io.javaoperatorsdk.operator.api.config.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The operator's version (from the packaged jar's Maven metadata) and those of the libraries it runs on. */
public final class OperatorVersion {
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.proxysql/proxysql-operator/pom.properties";

    private OperatorVersion() {
    }

    /** The project version, or "development" when not running from the packaged jar. */
    public static String version() {
        try (InputStream in = OperatorVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "development");
            }
        } catch (IOException e) {
            // fall through
        }
        return "development";
    }

    /** For {@code --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "proxysql-operator " + version(),
                "Java Operator SDK " + Utils.VERSION.getSdkVersion() + ", fabric8 kubernetes-client "
                        + io.fabric8.kubernetes.client.Version.clientVersion() + ", Java " + Runtime.version()
            };
        }
    }
}
