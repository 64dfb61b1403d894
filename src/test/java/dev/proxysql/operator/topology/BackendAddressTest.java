package dev.proxysql.operator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackendAddressTest {

    @Test
    void readsKubeDbsUrlForms() {
        assertThat(BackendAddress.parseUrl("tcp(mysql.demo.svc:3307)/")).contains(new BackendAddress("mysql.demo.svc", 3307));
        assertThat(BackendAddress.parseUrl("mysql://u:p@db:3306/app")).contains(new BackendAddress("db", 3306));
        assertThat(BackendAddress.parseUrl("db")).contains(new BackendAddress("db", 3306));
        assertThat(BackendAddress.parseUrl("db:065535")).contains(new BackendAddress("db", 65535));
    }

    /** A port out of range, or too long for an int, is no address (it used to throw NumberFormatException in the reconcile). */
    @Test
    void aPortOutOfRangeIsNoAddress() {
        assertThat(BackendAddress.parseUrl("db:0")).isEmpty();
        assertThat(BackendAddress.parseUrl("db:65536")).isEmpty();
        assertThat(BackendAddress.parseUrl("tcp(db:99999999999)/")).isEmpty();
        assertThat(BackendAddress.parseUrl("db:123456")).isEmpty();
    }
}
