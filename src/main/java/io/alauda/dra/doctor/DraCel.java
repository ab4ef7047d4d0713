package io.alauda.dra.doctor;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.types.CelTypeProvider;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment of DRA device selectors, as Kubernetes builds it (dynamic-resource-allocation/cel/compile.go):
 * one variable {@code device} with {@code driver} (string), {@code attributes} and {@code capacity} (maps keyed by
 * domain, then by attribute name; attribute values are {@code dyn}: string, int, bool or a semver), the
 * {@code kubernetes.Semver} library ({@code semver()}, {@code isSemver()}, {@code major/minor/patch},
 * {@code isGreaterThan/isLessThan/compareTo}), the {@code kubernetes.Quantity} library ({@code quantity()},
 * {@code isQuantity()}, {@code sign/isInteger/asInteger/asApproximateFloat/add/sub/isGreaterThan/isLessThan/compareTo}),
 * {@code cel.bind} and the strings extension. Kubernetes' base environment has more (regex {@code find}, lists, URLs,
 * IPs, CIDRs, format); an expression using those fails to compile here and is reported as such.
 *
 * <p>Expressions must be bool (or dyn). Their estimated cost must stay within {@link #MAX_COST}, Kubernetes'
 * {@code resourceapi.CELSelectorExpressionMaxCost}; the estimate is {@link SelectorCost}'s, an approximation of cel-go's.
 */
public final class DraCel {

    /** resource.k8s.io CELSelectorExpressionMaxCost: the API server's and the scheduler's limit per selector. */
    public static final long MAX_COST = 1_000_000L;
    /** resource.k8s.io CELSelectorExpressionMaxLength. */
    public static final int MAX_LENGTH = 10 * 1024;

    static final OpaqueType SEMVER = OpaqueType.create("kubernetes.Semver");
    static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");

    private static final CelOptions OPTIONS = CelOptions.current()
            .comprehensionMaxIterations((int) MAX_COST)
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private static final DraCel INSTANCE = new DraCel();

    private final CelCompiler compiler;
    private final CelRuntime runtime;

    private DraCel() {
        Map<String, CelType> fields = Map.of(
                "driver", SimpleType.STRING,
                "attributes", MapType.create(SimpleType.STRING, MapType.create(SimpleType.STRING, SimpleType.DYN)),
                "capacity", MapType.create(SimpleType.STRING, MapType.create(SimpleType.STRING, QUANTITY)));
        StructType device = StructType.create("kubernetes.DRADevice", ImmutableSet.copyOf(fields.keySet()),
                name -> Optional.ofNullable(fields.get(name)));
        CelTypeProvider types = new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return ImmutableList.of(device, SEMVER, QUANTITY);
            }

            @Override
            public Optional<CelType> findType(String name) {
                return types().stream().filter(t -> t.name().equals(name)).findFirst();
            }
        };
        compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelExtensions.bindings(), CelExtensions.strings())
                .setTypeProvider(types)
                .addVar("device", device)
                .addFunctionDeclarations(declarations())
                .build();
        // At run time device is a Map with the three fields (DeviceVars); field selection on a map works the same.
        runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(OPTIONS)
                .addLibraries(CelExtensions.strings())
                .addFunctionBindings(bindings())
                .build();
    }

    public static DraCel get() {
        return INSTANCE;
    }

    /** Compiles (parses and type-checks) one selector; the problem is named in the exception. */
    public Selector compile(String expression) throws SelectorException {
        if (expression == null || expression.isBlank()) {
            throw new SelectorException("the CEL expression is empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new SelectorException("the CEL expression is " + expression.length() + " characters, more than the "
                    + MAX_LENGTH + " Kubernetes allows");
        }
        CelAbstractSyntaxTree ast;
        CelValidationResult result = compiler.compile(expression);
        if (result.hasError()) {
            throw new SelectorException("compilation failed: " + result.getErrorString());
        }
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new SelectorException("compilation failed: " + e.getMessage());
        }
        CelType out = ast.getResultType();
        if (out.kind() != CelKind.BOOL && out.kind() != CelKind.DYN && out.kind() != CelKind.ANY) {
            throw new SelectorException("must evaluate to bool, not " + out.name());
        }
        long cost = SelectorCost.estimate(ast.getExpr());
        if (cost > MAX_COST) {
            throw new SelectorException("estimated cost " + cost + " exceeds the limit of " + MAX_COST
                    + " (resource.k8s.io CELSelectorExpressionMaxCost); the API server rejects it");
        }
        try {
            return new Selector(expression, ast, runtime.createProgram(ast), cost);
        } catch (dev.cel.common.CelException e) {
            throw new SelectorException("program creation failed: " + e.getMessage());
        }
    }

    private static List<CelFunctionDecl> declarations() {
        return List.of(
                CelFunctionDecl.newFunctionDeclaration("semver",
                        CelOverloadDecl.newGlobalOverload("string_to_semver", SEMVER, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload("string_bool_to_semver", SEMVER, SimpleType.STRING, SimpleType.BOOL)),
                CelFunctionDecl.newFunctionDeclaration("isSemver",
                        CelOverloadDecl.newGlobalOverload("is_semver_string", SimpleType.BOOL, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload("is_semver_string_bool", SimpleType.BOOL, SimpleType.STRING, SimpleType.BOOL)),
                CelFunctionDecl.newFunctionDeclaration("major",
                        CelOverloadDecl.newMemberOverload("semver_major", SimpleType.INT, SEMVER)),
                CelFunctionDecl.newFunctionDeclaration("minor",
                        CelOverloadDecl.newMemberOverload("semver_minor", SimpleType.INT, SEMVER)),
                CelFunctionDecl.newFunctionDeclaration("patch",
                        CelOverloadDecl.newMemberOverload("semver_patch", SimpleType.INT, SEMVER)),
                CelFunctionDecl.newFunctionDeclaration("isGreaterThan",
                        CelOverloadDecl.newMemberOverload("semver_is_greater_than", SimpleType.BOOL, SEMVER, SEMVER),
                        CelOverloadDecl.newMemberOverload("quantity_is_greater_than", SimpleType.BOOL, QUANTITY, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("isLessThan",
                        CelOverloadDecl.newMemberOverload("semver_is_less_than", SimpleType.BOOL, SEMVER, SEMVER),
                        CelOverloadDecl.newMemberOverload("quantity_is_less_than", SimpleType.BOOL, QUANTITY, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("compareTo",
                        CelOverloadDecl.newMemberOverload("semver_compare_to", SimpleType.INT, SEMVER, SEMVER),
                        CelOverloadDecl.newMemberOverload("quantity_compare_to", SimpleType.INT, QUANTITY, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("quantity",
                        CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isQuantity",
                        CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("sign",
                        CelOverloadDecl.newMemberOverload("quantity_sign", SimpleType.INT, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("isInteger",
                        CelOverloadDecl.newMemberOverload("quantity_is_integer", SimpleType.BOOL, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("asInteger",
                        CelOverloadDecl.newMemberOverload("quantity_get_int", SimpleType.INT, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("asApproximateFloat",
                        CelOverloadDecl.newMemberOverload("quantity_get_float", SimpleType.DOUBLE, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("add",
                        CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("sub",
                        CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, SimpleType.INT)));
    }

    private static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_semver", String.class, DraCel::semver),
                CelFunctionBinding.from("string_bool_to_semver", String.class, Boolean.class,
                        (s, normalize) -> normalize ? semverNormalized(s) : semver(s)),
                CelFunctionBinding.from("is_semver_string", String.class, s -> valid(SemVer::parse, s)),
                CelFunctionBinding.from("is_semver_string_bool", String.class, Boolean.class,
                        (s, normalize) -> valid(normalize ? SemVer::parseNormalized : SemVer::parse, s)),
                CelFunctionBinding.from("semver_major", SemVer.class, SemVer::major),
                CelFunctionBinding.from("semver_minor", SemVer.class, SemVer::minor),
                CelFunctionBinding.from("semver_patch", SemVer.class, SemVer::patch),
                CelFunctionBinding.from("semver_is_greater_than", SemVer.class, SemVer.class, (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("semver_is_less_than", SemVer.class, SemVer.class, (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from("semver_compare_to", SemVer.class, SemVer.class, (a, b) -> (long) a.compareTo(b)),
                CelFunctionBinding.from("string_to_quantity", String.class, DraCel::quantity),
                CelFunctionBinding.from("is_quantity_string", String.class, s -> valid(Quantity::parse, s)),
                CelFunctionBinding.from("quantity_sign", Quantity.class, q -> (long) q.value().signum()),
                CelFunctionBinding.from("quantity_is_integer", Quantity.class, DraCel::isInteger),
                CelFunctionBinding.from("quantity_get_int", Quantity.class, DraCel::asInteger),
                CelFunctionBinding.from("quantity_get_float", Quantity.class, q -> q.value().doubleValue()),
                CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class, Quantity::add),
                CelFunctionBinding.from("quantity_add_int", Quantity.class, Long.class, (q, i) -> q.add(Quantity.of(i))),
                CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class, Quantity::subtract),
                CelFunctionBinding.from("quantity_sub_int", Quantity.class, Long.class, (q, i) -> q.subtract(Quantity.of(i))),
                CelFunctionBinding.from("quantity_is_greater_than", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("quantity_is_less_than", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from("quantity_compare_to", Quantity.class, Quantity.class, (a, b) -> (long) Integer.signum(a.compareTo(b))));
    }

    private static SemVer semver(String s) {
        return parsed(SemVer::parse, s);
    }

    private static SemVer semverNormalized(String s) {
        return parsed(SemVer::parseNormalized, s);
    }

    private static Quantity quantity(String s) {
        return parsed(Quantity::parse, s);
    }

    /** Parses for CEL: a bad string is a CEL runtime error (BAD_FORMAT), as in Kubernetes. */
    private static <T> T parsed(java.util.function.Function<String, T> parser, String s) {
        try {
            return parser.apply(s);
        } catch (IllegalArgumentException e) {
            throw new dev.cel.common.CelRuntimeException(e, dev.cel.common.CelErrorCode.BAD_FORMAT);
        }
    }

    /** Whether {@code parser} accepts {@code s} ({@code isSemver}, {@code isQuantity}). */
    static boolean valid(java.util.function.Function<String, ?> parser, String s) {
        try {
            parser.apply(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isInteger(Quantity q) {
        BigDecimal v = q.value();
        return v.signum() == 0 || (v.stripTrailingZeros().scale() <= 0 && v.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0);
    }

    private static long asInteger(Quantity q) {
        if (!isInteger(q)) {
            throw new dev.cel.common.CelRuntimeException(
                    new IllegalArgumentException("cannot convert value to integer"), dev.cel.common.CelErrorCode.NUMERIC_OVERFLOW);
        }
        return q.value().longValueExact();
    }
}
