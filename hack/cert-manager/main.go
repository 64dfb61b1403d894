// A cert-manager controller for the local control plane, built from the cert-manager library module.
//
// cert-manager's own binary (module github.com/cert-manager/cert-manager/cmd/controller) is not served by the Go
// module proxy our machines reach; its library module is. This main wires the library's controllers the way
// cmd/controller/app/controller.go (Run) does, keeping only what the operator's tests need: Certificates (trigger,
// key manager, request manager, issuing, readiness, revision manager), the CertificateRequest approver and the CA
// and SelfSigned signers, and the Issuer/ClusterIssuer controllers. ACME, Vault, Venafi, the ingress/gateway shims,
// metrics and leader election are left out (ACME and the cloud issuers would pull large SDKs, and none is reachable
// from a test anyway).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/klog/v2"

	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// Each package registers its controller (controller.Register) or issuer (issuer.RegisterIssuer) in init().
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster to manage")
	namespace := flag.String("namespace", "", "namespace to watch (all if empty)")
	clusterResourceNamespace := flag.String("cluster-resource-namespace", "kube-system",
		"namespace holding the Secrets of ClusterIssuers (cert-manager's default)")
	workers := flag.Int("concurrent-workers", 5, "workers per controller (cert-manager's default)")
	minBackoff := flag.Duration("certificate-request-minimum-backoff", time.Hour,
		"first delay before a failed issuance is retried (cert-manager's default)")
	listControllers := flag.Bool("list-controllers", false, "print the controllers this binary runs and exit")
	klog.InitFlags(flag.CommandLine)
	flag.Parse()

	names := make([]string, 0, len(controller.Known()))
	for n := range controller.Known() {
		names = append(names, n)
	}
	sort.Strings(names)
	if *listControllers {
		fmt.Println(strings.Join(names, "\n"))
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logf.InitLogs()
	defer logf.FlushLogs()
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	if err := run(ctx, names, controller.ContextOptions{
		Kubeconfig:         *kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		Namespace:          *namespace,
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace: *clusterResourceNamespace,
		},
		CertificateOptions: controller.CertificateOptions{
			CertificateRequestMinimumBackoffDuration: *minBackoff,
			CertificateRequestMaximumBackoffDuration: 32 * time.Hour,
		},
	}, *workers); err != nil {
		logf.Log.Error(err, "cert-manager controller failed")
		logf.FlushLogs()
		os.Exit(1)
	}
}

// run follows cert-manager's cmd/controller/app.Run: build every registered controller from one ContextFactory,
// start them, then start the shared informer factories they registered their informers with.
func run(rootCtx context.Context, names []string, opts controller.ContextOptions, workers int) error {
	log := logf.FromContext(rootCtx)
	g, rootCtx := errgroup.WithContext(rootCtx)
	factory, err := controller.NewContextFactory(rootCtx, opts)
	if err != nil {
		return err
	}
	base, err := factory.Build()
	if err != nil {
		return err
	}
	log.Info("starting cert-manager controllers", "controllers", names)
	for _, n := range names {
		iface, err := controller.Known()[n](factory)
		if err != nil {
			return fmt.Errorf("error creating controller %s: %w", n, err)
		}
		g.Go(func() error { return iface.Run(workers, rootCtx) })
	}
	base.SharedInformerFactory.Start(rootCtx.Done())
	base.KubeSharedInformerFactory.Start(rootCtx.Done())
	base.HTTP01ResourceMetadataInformersFactory.Start(rootCtx.Done())
	err = g.Wait()
	base.HTTP01ResourceMetadataInformersFactory.Shutdown()
	base.KubeSharedInformerFactory.Shutdown()
	base.SharedInformerFactory.Shutdown()
	return err
}
