//! Generating `impl IntoCloudError` (and, under the main crate's `axum` feature, `IntoResponse`).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{parse_quote, Data, DeriveInput, Error, Fields, Generics, Member, Path, Result, Type};

use crate::attr::{self, CloudAttrs, Mapping, Message};

/// One `match` arm of `into_cloud_error`.
struct Arm {
    pattern: TokenStream,
    body: TokenStream,
    /// The arm keeps the value as the error's source, so the type must be an `Error`.
    keeps_source: bool,
    /// The field type a transparent arm delegates to.
    delegates_to: Option<Type>,
}

/// The impls for `input`, or every misuse found in it.
pub(crate) fn derive(input: &DeriveInput) -> Result<TokenStream> {
    let arms = arms(input)?;
    let ident = &input.ident;
    let generics = with_bounds(&input.generics, ident, &arms);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let patterns = arms.iter().map(|arm| &arm.pattern);
    let bodies = arms.iter().map(|arm| &arm.body);
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics ::tower_cloud_error::IntoCloudError for #ident #ty_generics #where_clause {
            fn into_cloud_error(self) -> ::tower_cloud_error::CloudError {
                match self {
                    #(#patterns => #bodies,)*
                }
            }
        }

        ::tower_cloud_error::__private::axum_handler_error! {
            #[automatically_derived]
            impl #impl_generics ::tower_cloud_error::__private::IntoResponse for #ident #ty_generics #where_clause {
                fn into_response(self) -> ::tower_cloud_error::__private::Response {
                    ::tower_cloud_error::__private::into_response(
                        ::tower_cloud_error::IntoCloudError::into_cloud_error(self),
                    )
                }
            }
        }
    })
}

/// An impl that compiles, emitted beside the errors so they are the only ones reported.
pub(crate) fn fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::tower_cloud_error::IntoCloudError for #ident #ty_generics #where_clause {
            fn into_cloud_error(self) -> ::tower_cloud_error::CloudError {
                ::core::unreachable!()
            }
        }
    }
}

/// One arm per variant (one for a struct); every misuse is reported, not only the first.
fn arms(input: &DeriveInput) -> Result<Vec<Arm>> {
    match &input.data {
        Data::Struct(data) => {
            let attrs = attr::parse(&input.attrs)?;
            reject_on_fields(&data.fields)?;
            Ok(vec![arm(quote!(Self), &input.ident, &data.fields, attrs)?])
        }
        Data::Enum(data) => {
            let mut errors: Option<Error> = None;
            let mut add = |error: Error| match &mut errors {
                Some(errors) => errors.combine(error),
                None => errors = Some(error),
            };
            if let Err(error) = attr::reject(
                &input.attrs,
                "on an enum: put #[cloud(...)] on each variant",
            ) {
                add(error);
            }
            let mut arms = Vec::new();
            for variant in &data.variants {
                let name = &variant.ident;
                let parsed = attr::parse(&variant.attrs)
                    .and_then(|attrs| reject_on_fields(&variant.fields).map(|()| attrs))
                    .and_then(|attrs| arm(quote!(Self::#name), name, &variant.fields, attrs));
                match parsed {
                    Ok(arm) => arms.push(arm),
                    Err(error) => add(error),
                }
            }
            match errors {
                Some(errors) => Err(errors),
                None => Ok(arms),
            }
        }
        Data::Union(data) => Err(Error::new(
            data.union_token.span,
            "IntoCloudError cannot be derived for a union",
        )),
    }
}

fn reject_on_fields(fields: &Fields) -> Result<()> {
    for field in fields {
        attr::reject(
            &field.attrs,
            "on a field: put it on the variant or the struct",
        )?;
    }
    Ok(())
}

/// The arm for one variant: `path` is `Self::Variant` or `Self`, `name` names it in errors.
fn arm(path: TokenStream, name: &Ident, fields: &Fields, attrs: CloudAttrs) -> Result<Arm> {
    let Some(mapping) = attrs.mapping else {
        return Err(Error::new(
            name.span(),
            format!(
                "`{name}` maps to no code: add #[cloud(code = ...)], \
                 #[cloud(bce = ..., tencent = ...)], #[cloud(condition = ...)], \
                 #[cloud(internal)] or #[cloud(transparent)]"
            ),
        ));
    };
    let create = match mapping {
        Mapping::Transparent(span) => {
            if let Some(span) = attrs.message_span {
                return Err(Error::new(
                    span,
                    "`message` and `args` do not go with `transparent`: \
                     the field's own IntoCloudError decides the message",
                ));
            }
            return transparent_arm(path, name, fields, span);
        }
        Mapping::Internal => {
            if let Some(span) = attrs.message_span {
                return Err(Error::new(
                    span,
                    "`message` and `args` do not go with `internal`: \
                     InternalError always renders its canonical message",
                ));
            }
            quote!(::tower_cloud_error::CloudError::internal())
        }
        Mapping::Code(code) => {
            let checked = typed_code(&code);
            quote!(::tower_cloud_error::CloudError::new(#checked))
        }
        Mapping::PerStyle { bce, tencent } => per_style(bce, tencent),
        Mapping::Condition(condition) => condition_expr(&condition),
    };
    let members = members(fields);
    let (bindings, with_message) = match attrs.message {
        Message::Default => (Vec::new(), TokenStream::new()),
        Message::Display => (
            Vec::new(),
            quote!(.with_message(::std::string::ToString::to_string(&self))),
        ),
        Message::Args(args) => {
            let mut bindings: Vec<(Member, Ident)> = Vec::new();
            let mut values = Vec::new();
            for arg in &args {
                if !members.contains(arg) {
                    return Err(Error::new(
                        arg.span(),
                        format!("`{name}` has no field `{}`", member_text(arg)),
                    ));
                }
                let binding = match bindings.iter().find(|(member, _)| member == arg) {
                    Some((_, binding)) => binding.clone(),
                    None => {
                        let binding = format_ident!("__cloud_arg{}", bindings.len());
                        bindings.push((arg.clone(), binding.clone()));
                        binding
                    }
                };
                // A field without Display is an error at its name in `args(...)`.
                let at_arg = Ident::new(&binding.to_string(), arg.span());
                values.push(
                    quote_spanned!(arg.span()=> ::tower_cloud_error::__private::arg(#at_arg)),
                );
            }
            (bindings, quote!(.with_args([#(#values),*])))
        }
    };
    let bound = bindings
        .iter()
        .map(|(member, binding)| quote!(#member: ref #binding));
    Ok(Arm {
        pattern: quote!(#path { #(#bound,)* .. }),
        body: quote!({
            let __cloud_error = #create #with_message;
            // Kept for the logs (with its own source chain), never rendered.
            __cloud_error.with_source(::tower_cloud_error::__private::KeepsSource::into_source(self))
        }),
        keeps_source: true,
        delegates_to: None,
    })
}

fn transparent_arm(path: TokenStream, name: &Ident, fields: &Fields, span: Span) -> Result<Arm> {
    let mut iter = fields.iter();
    let (Some(field), None) = (iter.next(), iter.next()) else {
        return Err(Error::new(
            span,
            format!(
                "#[cloud(transparent)] needs exactly one field, and `{name}` has {}",
                fields.len()
            ),
        ));
    };
    let member = field
        .ident
        .clone()
        .map_or_else(|| Member::Unnamed(0.into()), Member::Named);
    Ok(Arm {
        pattern: quote!(#path { #member: __cloud_field }),
        body: quote!(::tower_cloud_error::IntoCloudError::into_cloud_error(
            __cloud_field
        )),
        keeps_source: false,
        delegates_to: Some(field.ty.clone()),
    })
}

/// `path` as a `Code`: a path to anything else is a type error pointing at the path.
fn typed_code(path: &Path) -> TokenStream {
    quote_spanned! {path.span()=>
        {
            let __cloud_code: ::tower_cloud_error::Code = #path;
            __cloud_code
        }
    }
}

/// One code per style; a code of the other dialect stops the build (a `const` panics).
fn per_style(bce: Option<Path>, tencent: Option<Path>) -> TokenStream {
    let bce = bce.map(|path| {
        quote_spanned! {path.span()=>
            {
                const __CLOUD_BCE: ::tower_cloud_error::Code =
                    ::tower_cloud_error::__private::bce_code(#path);
                __CLOUD_BCE
            }
        }
    });
    let tencent = tencent.map(|path| {
        quote_spanned! {path.span()=>
            {
                const __CLOUD_TENCENT: ::tower_cloud_error::Code =
                    ::tower_cloud_error::__private::tencent_code(#path);
                __CLOUD_TENCENT
            }
        }
    });
    match (bce, tencent) {
        (Some(bce), Some(tencent)) => {
            quote!(::tower_cloud_error::CloudError::new(#bce).or_code(#tencent))
        }
        (Some(code), None) | (None, Some(code)) => {
            quote!(::tower_cloud_error::CloudError::new(#code))
        }
        (None, None) => unreachable!("a per-style mapping has at least one code"),
    }
}

/// `condition = NotFound` names a `Condition` variant; a longer path must be a `Condition`.
fn condition_expr(path: &Path) -> TokenStream {
    let condition = match path.get_ident() {
        Some(variant) => quote!(::tower_cloud_error::Condition::#variant),
        None => quote_spanned! {path.span()=>
            {
                let __cloud_condition: ::tower_cloud_error::Condition = #path;
                __cloud_condition
            }
        },
    };
    quote!(::tower_cloud_error::CloudError::from_condition(#condition))
}

/// The fields' names (or indices), as `args(...)` may name them.
fn members(fields: &Fields) -> Vec<Member> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| match &field.ident {
            Some(ident) => Member::Named(ident.clone()),
            None => Member::Unnamed(index.into()),
        })
        .collect()
}

fn member_text(member: &Member) -> String {
    match member {
        Member::Named(ident) => ident.to_string(),
        Member::Unnamed(index) => index.index.to_string(),
    }
}

/// The type's generics plus what the arms need: `Error + Send + Sync + 'static` on the type
/// when an arm keeps the value as a source, `IntoCloudError` on each generic delegated-to field.
fn with_bounds(generics: &Generics, ident: &Ident, arms: &[Arm]) -> Generics {
    let mut bounded = generics.clone();
    let (_, ty_generics, _) = generics.split_for_impl();
    let type_params: BTreeSet<String> = generics
        .type_params()
        .map(|param| param.ident.to_string())
        .collect();
    let predicates = &mut bounded.make_where_clause().predicates;
    if arms.iter().any(|arm| arm.keeps_source) {
        predicates.push(parse_quote_spanned_at(
            ident,
            quote!(#ident #ty_generics: ::tower_cloud_error::__private::KeepsSource),
        ));
    }
    for ty in arms.iter().filter_map(|arm| arm.delegates_to.as_ref()) {
        if mentions_any(ty.to_token_stream(), &type_params) {
            predicates.push(parse_quote!(#ty: ::tower_cloud_error::IntoCloudError));
        }
    }
    bounded
}

/// A where-predicate whose errors point at `ident` (the type's name).
fn parse_quote_spanned_at(ident: &Ident, tokens: TokenStream) -> syn::WherePredicate {
    let respanned: TokenStream = tokens
        .into_iter()
        .map(|mut token| {
            if !matches!(token, TokenTree::Group(_)) {
                token.set_span(ident.span());
            }
            token
        })
        .collect();
    parse_quote!(#respanned)
}

/// Whether `tokens` mention one of the type parameters `names`.
fn mentions_any(tokens: TokenStream, names: &BTreeSet<String>) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => names.contains(&ident.to_string()),
        TokenTree::Group(group) => mentions_any(group.stream(), names),
        _ => false,
    })
}
