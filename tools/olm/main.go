// Command olm-bundle-validate runs the operator-framework validators on a bundle directory the way
// `operator-sdk bundle validate DIR --select-optional SELECTOR` does. operator-sdk itself is not served by the Go
// module proxy this project builds from, so this calls the same pinned libraries it calls: operator-registry's
// bundle format and content checks, operator-framework/api's default bundle validators, and the optional validators
// operator-sdk labels (name=..., suite=operatorframework). Exits 1 when any validator reports an error.
// Beyond operator-sdk, tests/scorecard/config.yaml (when present) must decode strictly into scorecard's v1alpha3
// Configuration: `operator-sdk scorecard` reads it leniently, so a misspelt key would silently drop a setting.
//
//	olm-bundle-validate [--select-optional suite=operatorframework] [--optional-values k8s-version=1.34] DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/operator-framework/api/pkg/apis/scorecard/v1alpha3"
	apimanifests "github.com/operator-framework/api/pkg/manifests"
	apivalidation "github.com/operator-framework/api/pkg/validation"
	apierrors "github.com/operator-framework/api/pkg/validation/errors"
	interfaces "github.com/operator-framework/api/pkg/validation/interfaces"
	registrybundle "github.com/operator-framework/operator-registry/pkg/lib/bundle"
	"github.com/sirupsen/logrus"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// The optional validators and their labels as operator-sdk v1.42 defines them, so that a selector means the same here.
var optional = []struct {
	validator interfaces.Validator
	labels    labels.Set
}{
	{apivalidation.OperatorHubV2Validator, labels.Set{"name": "operatorhubv2", "suite": "operatorframework"}},
	{apivalidation.StandardCapabilitiesValidator, labels.Set{"name": "capabilities", "suite": "operatorframework"}},
	{apivalidation.StandardCategoriesValidator, labels.Set{"name": "categories", "suite": "operatorframework"}},
	{apivalidation.OperatorHubValidator, labels.Set{"name": "operatorhub"}}, //nolint:staticcheck // still selectable by name
	{apivalidation.CommunityOperatorValidator, labels.Set{"name": "community"}},
	{apivalidation.AlphaDeprecatedAPIsValidator, labels.Set{"name": "alpha-deprecated-apis", "suite": "operatorframework"}},
	{apivalidation.GoodPracticesValidator, labels.Set{"name": "good-practices", "suite": "operatorframework"}},
	{apivalidation.MultipleArchitecturesValidator, labels.Set{"name": "multiarch"}},
}

func main() {
	selectOptional := flag.String("select-optional", "", "label selector of optional validators, e.g. suite=operatorframework")
	optionalValues := flag.String("optional-values", "", "key=value pairs for the optional validators, comma separated, e.g. k8s-version=1.34")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: olm-bundle-validate [--select-optional SELECTOR] [--optional-values k=v,...] BUNDLE_DIR")
		os.Exit(2)
	}
	errs, warns, err := validate(flag.Arg(0), *selectOptional, *optionalValues)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		os.Exit(2)
	}
	for _, w := range warns {
		fmt.Println("WARNING:", w)
	}
	for _, e := range errs {
		fmt.Println("ERROR:", e)
	}
	fmt.Printf("%d errors, %d warnings\n", len(errs), len(warns))
	if len(errs) > 0 {
		os.Exit(1)
	}
}

// validate returns the errors and warnings of every selected check; err only when the arguments are unusable.
func validate(dir, selector, values string) (errs, warns []string, err error) {
	sel, err := labels.Parse(selector)
	if err != nil {
		return nil, nil, fmt.Errorf("--select-optional: %w", err)
	}
	matched := selector == ""
	for _, o := range optional {
		matched = matched || sel.Matches(o.labels)
	}
	if !matched {
		return nil, nil, fmt.Errorf("selector %q matches no optional validator", selector)
	}
	opts := map[string]string{}
	for _, kv := range strings.Split(values, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			opts[strings.TrimSpace(k)] = strings.TrimSpace(v)
		} else if strings.TrimSpace(kv) != "" {
			return nil, nil, fmt.Errorf("--optional-values: %q is not key=value", kv)
		}
	}

	logger := logrus.NewEntry(logrus.New())
	logger.Logger.SetOutput(os.Stderr)
	// No image registry: it is only used to pull bundle images, and this validates a directory.
	registry := registrybundle.NewImageValidator(nil, logger)
	manifestsDir := filepath.Join(dir, strings.TrimSuffix(registrybundle.ManifestsDir, "/"))
	for _, check := range []func() error{
		func() error { return registry.ValidateBundleFormat(dir) },
		func() error { return registry.ValidateBundleContent(manifestsDir) },
	} {
		if err := check(); err != nil {
			if v, ok := err.(registrybundle.ValidationError); ok {
				for _, e := range v.Errors {
					errs = append(errs, e.Error())
				}
			} else {
				errs = append(errs, err.Error())
			}
		}
	}

	errs = append(errs, scorecardConfig(filepath.Join(dir, "tests", "scorecard", "config.yaml"))...)

	bundle, err := apimanifests.GetBundleFromDir(manifestsDir)
	if err != nil {
		return append(errs, fmt.Sprintf("loading %s: %v", manifestsDir, err)), warns, nil
	}
	results := apivalidation.DefaultBundleValidators.Validate(bundle.ObjectsToValidate()...)
	if selector != "" {
		// What operator-sdk hands the optional validators: the bundle, its CSV and CRDs, every object, the values.
		objs := bundle.ObjectsToValidate()
		for _, obj := range bundle.Objects {
			objs = append(objs, obj)
		}
		objs = append(objs, opts)
		for _, o := range optional {
			if sel.Matches(o.labels) {
				results = append(results, o.validator.Validate(objs...)...)
			}
		}
	}
	for _, r := range results {
		errs = append(errs, messages(r.Name, r.Errors)...)
		warns = append(warns, messages(r.Name, r.Warnings)...)
	}
	return errs, warns, nil
}

func scorecardConfig(path string) (errs []string) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return []string{err.Error()}
	}
	var c v1alpha3.Configuration
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		return []string{fmt.Sprintf("%s: %v", path, err)}
	}
	if c.APIVersion != v1alpha3.GroupVersion.String() || c.Kind != v1alpha3.ConfigurationKind {
		errs = append(errs, fmt.Sprintf("%s: apiVersion/kind %s/%s, want %s/%s", path, c.APIVersion, c.Kind,
			v1alpha3.GroupVersion, v1alpha3.ConfigurationKind))
	}
	tests := 0
	for i, stage := range c.Stages {
		for j, t := range stage.Tests {
			tests++
			if t.Image == "" || len(t.Entrypoint) == 0 {
				errs = append(errs, fmt.Sprintf("%s: stages[%d].tests[%d] needs an image and an entrypoint", path, i, j))
			}
		}
	}
	if tests == 0 {
		errs = append(errs, fmt.Sprintf("%s: no tests", path))
	}
	return errs
}

func messages(name string, es []apierrors.Error) (out []string) {
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s: %s", name, e.Error()))
	}
	return out
}
