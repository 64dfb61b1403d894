// CoreDNS for the real node, built by hack/node/build.sh with only the plugins the node's Corefile uses.
// Upstream's main (github.com/coredns/coredns/coredns.go) imports core/plugin, which links every plugin and its
// SDKs (AWS, Azure, Google Cloud, etcd, ...): a much longer build for nothing we use. Leaving out "forward" also
// means this binary cannot send a query upstream, whatever its Corefile says.
package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func main() {
	coremain.Run()
}
